import { describe, expect, it } from 'vitest';
import { FerryError } from '../engine/errors';
import { GLOBAL_OPTIONS, TRANSFER_OPTIONS, parseArgv, resolveOptions } from './args';

const SPECS = [...GLOBAL_OPTIONS, ...TRANSFER_OPTIONS];
const FP =
  'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

function options(
  argv: string[],
  env: Record<string, string> = {},
): ReturnType<typeof resolveOptions> {
  return resolveOptions(parseArgv(argv, SPECS).values, env);
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof FerryError && error.detail.kind === 'usage') return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('parseArgv', () => {
  it('separates positionals from options placed anywhere', () => {
    const parsed = parseArgv(
      ['--json', 'get', 'ftpes://h/f', '--tls-max', '1.2', 'out.bin', '-v'],
      SPECS,
    );
    expect(parsed.positionals).toEqual(['get', 'ftpes://h/f', 'out.bin']);
    expect(parsed.values.get('json')).toBe(true);
    expect(parsed.values.get('tls-max')).toBe('1.2');
    expect(parsed.values.get('verbose')).toBe(true);
  });

  it('accepts --name=value, grouped short flags and --', () => {
    const parsed = parseArgv(['--tls-min=1.3', '-rv', '--', '--json', '-x'], SPECS);
    expect(parsed.values.get('tls-min')).toBe('1.3');
    expect(parsed.values.get('recursive')).toBe(true);
    expect(parsed.values.get('verbose')).toBe(true);
    expect(parsed.values.has('json')).toBe(false);
    expect(parsed.positionals).toEqual(['--json', '-x']);
  });

  it('lets the last of a repeated option win and treats "-" as a positional', () => {
    const parsed = parseArgv(['--prot', 'P', '--prot', 'C', '-'], SPECS);
    expect(parsed.values.get('prot')).toBe('C');
    expect(parsed.positionals).toEqual(['-']);
  });

  it.each([
    [['--nope'], /unknown option --nope/],
    [['-x'], /unknown option -x/],
    [['--tls-max'], /--tls-max needs a value/],
    [['--tls-max', '1.1'], /--tls-max must be one of 1.2, 1.3/],
    [['--prot', 'S'], /--prot must be one of P, C/],
    [['--json=yes'], /--json takes no value/],
    [['--on-exists', 'clobber'], /--on-exists must be one of overwrite/],
    [['--list-cmd', 'nlst'], /--list-cmd must be one of auto, mlsd, list/],
  ])('rejects %j', (argv, message) => {
    expect(usageMessage(() => parseArgv(argv, SPECS))).toMatch(message);
  });
});

describe('resolveOptions', () => {
  it('has safe defaults', () => {
    const resolved = options([]);
    expect(resolved).toMatchObject({
      json: false,
      allowPlain: false,
      active: false,
      ccc: false,
      recursive: false,
    });
    expect(resolved.pin).toBeUndefined();
    expect(resolved.prot).toBeUndefined();
  });

  it('normalizes --pin to the colon form in any spelling', () => {
    const bare = FP.replace(/:/g, '').toLowerCase();
    expect(options(['--pin', bare]).pin).toBe(FP);
    expect(options(['--pin', FP.toLowerCase()]).pin).toBe(FP);
    expect(usageMessage(() => options(['--pin', 'abc']))).toMatch(/SHA-256 fingerprint/);
    expect(usageMessage(() => options(['--pin', `${bare}00`]))).toMatch(/SHA-256 fingerprint/);
  });

  it('types TLS versions, protection, transfer options', () => {
    const resolved = options([
      '--tls-min',
      '1.2',
      '--tls-max',
      '1.3',
      '--prot',
      'C',
      '-r',
      '--parallel',
      '4',
      '--on-exists',
      'skip',
      '--list-cmd',
      'list',
    ]);
    expect(resolved).toMatchObject({
      listCommand: 'list',
      tlsMin: '1.2',
      tlsMax: '1.3',
      prot: 'C',
      recursive: true,
      parallel: 4,
      onExists: 'skip',
    });
  });

  it('takes --parallel auto', () => {
    expect(options(['-r', '--parallel', 'auto'])).toMatchObject({ parallel: 'auto' });
  });

  it('rejects contradictions', () => {
    expect(usageMessage(() => options(['--tls-min', '1.3', '--tls-max', '1.2']))).toMatch(/above/);
    expect(usageMessage(() => options(['--client-cert', 'c.pem']))).toMatch(/go together/);
    expect(usageMessage(() => options(['--client-key', 'k.pem']))).toMatch(/go together/);
    expect(
      usageMessage(() => options(['--pfx', 'a.p12', '--client-cert', 'c', '--client-key', 'k'])),
    ).toMatch(/either/);
    expect(usageMessage(() => options(['--pfx-pass', 'x']))).toMatch(/needs --pfx/);
    expect(usageMessage(() => options(['--parallel', '0']))).toMatch(/1 to 10/);
    expect(usageMessage(() => options(['--parallel', '11']))).toMatch(/1 to 10/);
    expect(usageMessage(() => options(['--parallel', '2.5']))).toMatch(/1 to 10/);
    expect(usageMessage(() => options(['--parallel', 'AUTO']))).toMatch(/auto or/);
    expect(usageMessage(() => options(['--segments', '0']))).toMatch(/1 to 10/);
    expect(usageMessage(() => options(['--segments', '2', '--no-segments']))).toMatch(/either/);
  });

  it('--segments N sets the connections per large download; --no-segments is one', () => {
    expect(options(['--segments', '3']).segments).toBe(3);
    expect(options(['--no-segments']).segments).toBe(1);
    expect(options([]).segments).toBeUndefined();
  });

  it('takes the PKCS#12 passphrase from FERRY_PFX_PASSWORD unless given', () => {
    expect(options(['--pfx', 'a.p12'], { FERRY_PFX_PASSWORD: 'env' }).pfxPassphrase).toBe('env');
    expect(
      options(['--pfx', 'a.p12', '--pfx-pass', 'arg'], { FERRY_PFX_PASSWORD: 'env' }).pfxPassphrase,
    ).toBe('arg');
  });
});
