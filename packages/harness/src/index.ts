// The real-Next test harness: start the demo, talk to it as a user, invoke its Server Actions.
export { startDemo, type DemoServer, type DemoMode, type StartDemoOptions, type Backend } from './start-demo';
export { ensureBuild, type BuildPolicy, type Bundler } from './build';
export { asUser, freshSession, type DemoUser } from './session';
export { getPage, postAction, postActionById, postFormById, resolveActionId, type PageResult, type ActionResult } from './http';
export { parseDashboards, parseFlightDashboards, findActionId, listActions, type Dashboard } from './parse';
export { freePort, freePortRange } from './ports';
export { waitFor, sleep } from './wait';
export { DEMO_DIR, ARTIFACTS_DIR, NEXT_BIN } from './paths';
export { copyFixtureApp, buildFixtureApp, startFixtureApp, type FixtureApp, type RunningApp } from './fixture-app';
export { startCountingOrigin, type CountingOrigin } from './counting-origin';
export { spawnManaged, type Managed } from './processes';
export { LONG_TAG, NON_ASCII_TAG } from './demo-shapes';
export { lineOf } from './source-lines';
export { startRedis, type TestRedis } from './redis-server';
export { copyInstance } from './cluster-apps';
