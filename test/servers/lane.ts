// The unit lane (vitest.config.ts sets FERRY_TEST_LANE=unit) must not start any server: it has
// to run in seconds on any machine. Every server start calls this first, so a test that starts
// one without the `.servers.test.ts` suffix fails at once with the reason instead of slowing the
// unit lane down (docs/TESTING.md).
export function assertServersAllowed(what: string): void {
  if (process.env.FERRY_TEST_LANE === 'unit') {
    throw new Error(
      `${what} was started in the unit test lane; a test that starts servers must be named ` +
        '*.servers.test.ts (see docs/TESTING.md)',
    );
  }
}
