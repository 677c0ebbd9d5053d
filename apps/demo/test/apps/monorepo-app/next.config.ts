import { withCacheScope } from '@cachescope/instrument/config';

// CACHESCOPE_OVERLAY: the production build shows the overlay only when it opted in (as in the demo).
export default withCacheScope({
  env: { CACHESCOPE_OVERLAY: process.env.CACHESCOPE_ENABLED === '1' ? 'always' : 'dev' },
});
