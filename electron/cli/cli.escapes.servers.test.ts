/**
 * Server-supplied text never reaches the terminal raw: a listed name carrying ESC, BEL and a C1
 * CSI (an OSC that retitles the window, a colour change, a screen clear) is shown escaped in
 * every output of `ls` and `get -r` (human, --json, -v, the FAILED lines and the error line).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, stopAll, type ServerKind } from '../../test/servers/servers';
import { runCaptured } from '../../test/support/cli';

afterAll(stopAll);

const EVIL_NAME = 'evil\x1b]0;pwned\x07\x1b[31mred\u009b2J.txt';
const ESCAPED_NAME = 'evil\\x1b]0;pwned\\x07\\x1b[31mred\\x9b2J.txt';
/** C0 controls but newline, DEL and C1: what a terminal may act on. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

function run(argv: string[], cwd: string): Promise<{ code: number; output: string }> {
  return runCaptured(argv, cwd);
}

function rawControls(output: string): string[] {
  return output.split('\n').filter((line) => RAW_CONTROL.test(line));
}

describe.concurrent('a listed name with escape sequences', () => {
  for (const kind of ['vsftpd', 'proftpd'] satisfies ServerKind[]) {
    it(`${kind}: ls and get -r print it escaped, human, --json and -v`, async () => {
      const server = await startServer({ kind, mode: 'explicit', tlsMax: '1.3' });
      const local = await mkdtemp(join(tmpdir(), 'ferry-escapes-'));
      try {
        // Unreadable, so its download fails and gets a FAILED line and an error.
        await chmod(await server.writeFile(`dir/${EVIL_NAME}`, 'x'), 0);
        await server.writeFile('dir/ok.txt', 'ok');
        const url = `ftpes://${server.user}:${server.password}@127.0.0.1:${server.port}/dir/`;
        const pin = ['--pin', server.fingerprint256];
        const ls = await run(['ls', ...pin, url], local);
        expect(ls.code, ls.output).toBe(0);
        expect(ls.output).toContain(ESCAPED_NAME);
        const lsJson = await run(['ls', '--json', ...pin, url], local);
        expect(lsJson.code, lsJson.output).toBe(0);
        const names = (
          JSON.parse(lsJson.output) as { result: { entries: Array<{ name: string }> } }
        ).result.entries.map((entry) => entry.name);
        // The JSON still carries the name exactly; only its encoding is escaped.
        expect(names).toContain(EVIL_NAME);
        const get = await run(['get', '-r', '-v', ...pin, url, 'out'], local);
        expect(get.code, get.output).not.toBe(0);
        expect(get.output).toMatch(/^FAILED evil\\x1b\]0;pwned\\x07\\x1b\[31mred\\x9b2J\.txt: /m);
        const getJson = await run(['get', '-r', '--json', '-v', ...pin, url, 'out2'], local);
        expect(getJson.code, getJson.output).not.toBe(0);
        for (const output of [ls.output, lsJson.output, get.output, getJson.output]) {
          expect(rawControls(output)).toEqual([]);
        }
      } finally {
        await server.stop();
        await rm(local, { recursive: true, force: true });
      }
    });
  }
});
