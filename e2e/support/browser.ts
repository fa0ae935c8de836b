/**
 * Which Chromium runs the renderer in the e2e tests and `npm run preview`: FERRY_CHROMIUM when
 * set, else Debian's /usr/bin/chromium (Playwright's own browsers are never downloaded here).
 * With FERRY_E2E_ELECTRON the app itself runs in that Electron binary instead (fixtures.ts).
 */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.FERRY_CHROMIUM?.trim();
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_CHROMIUM;
}
