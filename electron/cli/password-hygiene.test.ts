/**
 * The password is never printed, whatever the user typed: malformed percent escapes, an unescaped
 * "/" or "@" in the password, a URL in the wrong place (as the command, as an option's value), a
 * missing "//", human and --json output, with and without -v.
 */
import { describe, expect, it } from 'vitest';
import { freePort } from '../../test/servers/servers';
import { redact, redactDetail, secretsOf } from './redact';
import { runCaptured } from '../../test/support/cli';

function run(argv: string[]): Promise<{ code: number; output: string }> {
  return runCaptured(argv, process.cwd());
}

describe('the password from the URL is never printed', async () => {
  // Nothing listens there: a URL that parses fails at once with ECONNREFUSED.
  const closed = await freePort();
  const cases: Array<{ argv: string[]; secrets: string[] }> = [
    { argv: ['ls', `ftpes://alice:Secret%ZZ@127.0.0.1:${closed}/`], secrets: ['Secret%ZZ'] },
    { argv: ['ls', `ftpes://alice:Qx7v%ZZ%41@127.0.0.1:${closed}/`], secrets: ['Qx7v'] },
    // An unescaped "/" ends the host part early: "Qx7v" would be read as the port.
    { argv: ['ls', `ftpes://alice:Qx7v/Zt9w@127.0.0.1:${closed}/`], secrets: ['Qx7v', 'Zt9w'] },
    // ... or, all digits, as a valid port of host "alice", leaving "Zt9w@…" as the path.
    { argv: ['ls', `ftpes://alice:4242/Zt9w@127.0.0.1:${closed}/`], secrets: ['4242', 'Zt9w'] },
    { argv: ['ls', `ftpes:/alice:Qx7vZt9w@127.0.0.1:${closed}/`], secrets: ['Qx7vZt9w'] },
    { argv: ['ls', `alice:Qx7vZt9w@127.0.0.1:${closed}`], secrets: ['Qx7vZt9w'] },
    { argv: ['ls', `ftpes://alice:Qx7v%0AZt9w@127.0.0.1:${closed}/`], secrets: ['Qx7v', 'Zt9w'] },
    { argv: ['ls', `ftpes://alice:Qx7vZt9w@127.0.0.1:99999/`], secrets: ['Qx7vZt9w'] },
    { argv: ['ls', `ftpes://alice:Qx7vZt9w@bad_host!/`], secrets: ['Qx7vZt9w'] },
    { argv: ['ls', `ftpes://alice:Qx7vZt9w@[::1/`], secrets: ['Qx7vZt9w'] },
    { argv: ['ls', `ftp://alice:Qx7vZt9w@127.0.0.1:${closed}/`], secrets: ['Qx7vZt9w'] },
    { argv: ['ls', `ftpes://alice:Qx7vZt9w@127.0.0.1:${closed}/`], secrets: ['Qx7vZt9w'] },
    { argv: [`ftpes://alice:Qx7vZt9w@127.0.0.1:${closed}/`], secrets: ['Qx7vZt9w'] },
    {
      argv: ['ls', '--prot', `ftpes://alice:Qx7vZt9w@127.0.0.1:${closed}/`],
      secrets: ['Qx7vZt9w'],
    },
    // The password typed again where an option's value goes: it is known, so it is masked.
    {
      argv: ['ls', '--pin', 'Qx7vZt9w', `ftpes://alice:Qx7vZt9w@127.0.0.1:${closed}/`],
      secrets: ['Qx7vZt9w'],
    },
    {
      argv: ['get', '-r', '--parallel', `ftpes://alice:Qx7vZt9w@127.0.0.1:${closed}/`, 'x'],
      secrets: ['Qx7vZt9w'],
    },
  ];
  for (const { argv, secrets } of cases) {
    for (const extra of [[], ['--json'], ['-v'], ['--json', '-v']]) {
      it(`ferry ${[...argv, ...extra].join(' ')}`, async () => {
        const { code, output } = await run([...argv, ...extra]);
        expect(code).not.toBe(0);
        for (const secret of secrets) expect(output).not.toContain(secret);
      });
    }
  }
});

describe('redaction of known secrets', () => {
  it('finds URL passwords raw and decoded, --pfx-pass and the environment, longest first', () => {
    expect(
      secretsOf(['ls', 'ftpes://alice:p%40ss%2Fword@host/', '--pfx-pass', 'pfx-secret', 'x:ab@y'], {
        FERRY_PASSWORD: 'env-secret',
        FERRY_PFX_PASSWORD: undefined,
      }),
    ).toEqual(['p%40ss%2Fword', 'pfx-secret', 'env-secret', 'p@ss/word']);
  });

  it('masks them in text and in every text field of an error', () => {
    const secrets = secretsOf(['ftpes://alice:Qx7vZt9w@host/'], {});
    expect(redact('530 wrong password Qx7vZt9w', secrets)).toBe('530 wrong password ***');
    expect(
      redactDetail({ kind: 'auth', step: 'login', code: 530, text: 'no Qx7vZt9w here' }, secrets),
    ).toEqual({ kind: 'auth', step: 'login', code: 530, text: 'no *** here' });
  });
});
