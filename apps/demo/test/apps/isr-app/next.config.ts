import { withCacheScope } from '@cachescope/instrument/config';

export default withCacheScope({});
