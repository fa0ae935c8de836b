import { defineConfig } from 'vitest/config';

// Three lanes (docs/TESTING.md):
// - unit: no server of any kind, runs in seconds (`npm run test:unit`);
// - servers: `*.servers.test.ts`, real vsftpd/ProFTPD/pure-ftpd from test/servers, the hostile
//   and scripted servers, child processes that talk to them (`npm run test:servers`);
// - packaging: test/packaging, checks the built app (`npm run test:packaging`).
// `npx vitest run` (and `npm test`) runs all three.
const ALL_TESTS = [
  'electron/**/*.test.ts',
  'shared/**/*.test.ts',
  'renderer/**/*.test.{ts,tsx}',
  'test/**/*.test.ts',
  'scripts/**/*.test.ts',
  // The bench's own helpers (the latency proxy); the bench itself is not a test.
  'bench/**/*.test.ts',
];
const SERVERS = '**/*.servers.test.ts';
const PACKAGING = 'test/packaging/**/*.test.ts';

export default defineConfig({
  test: {
    // Real servers start per test file; two cores, so keep concurrency modest.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ALL_TESTS,
          exclude: [SERVERS, PACKAGING],
          // Read by test/servers/lane.ts: starting any test server in this lane throws.
          env: { FERRY_TEST_LANE: 'unit' },
        },
      },
      {
        extends: true,
        test: { name: 'servers', include: [SERVERS], env: { FERRY_TEST_LANE: 'servers' } },
      },
      {
        extends: true,
        test: { name: 'packaging', include: [PACKAGING], env: { FERRY_TEST_LANE: 'packaging' } },
      },
    ],
  },
});
