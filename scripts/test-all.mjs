#!/usr/bin/env node
// `npm test`: provisions the test servers if needed, then runs lint, typecheck, Vitest and
// Playwright, always all of them (so the count is complete even after a failure), and ends with
// the line CI reads: `N passed, N failed` (`, N skipped` when there are skipped tests).
//
// lint and typecheck count as one result each. A runner that exits without writing its report
// counts as one failure; so does a runner that exits non-zero although its report shows no
// failure (an unhandled error, a broken config).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './summarize-reports.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPORTS = join(ROOT, 'reports');
const VITEST_REPORT = join(REPORTS, 'vitest.json');
const PLAYWRIGHT_REPORT = join(REPORTS, 'playwright.json');

// Generous ceilings so a hung runner cannot eat the CI budget; normal runs take a few minutes.
const MINUTE = 60_000;
const LIMITS = { provision: 10 * MINUTE, check: 5 * MINUTE, vitest: 10 * MINUTE, e2e: 10 * MINUTE };

function log(message) {
  process.stdout.write(`[test-all] ${message}\n`);
}

let current; // the running step, for signal forwarding
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    // Stop the current runner (its own process group) and run nothing after it.
    interrupted = true;
    if (current?.pid !== undefined) {
      try {
        process.kill(-current.pid, sig);
      } catch {
        // already gone
      }
    }
  });
}

/** Runs a command with inherited stdio; resolves with its exit code (null when killed). */
function run(cmd, args, { env, timeoutMs }) {
  if (interrupted) return Promise.resolve(null);
  return new Promise((resolvePromise) => {
    const started = Date.now();
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'inherit',
      // Own process group, so a timeout can stop the runner and everything it started.
      detached: true,
    });
    current = child;
    let timedOut = false;
    const killGroup = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      log(`${cmd} ${args.join(' ')} exceeded ${timeoutMs / MINUTE} min; stopping it`);
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
    }, timeoutMs);
    child.on('error', (err) => {
      log(`could not start ${cmd}: ${err.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const how = timedOut ? 'timed out' : signal ? `killed by ${signal}` : `exit ${code}`;
      log(`${cmd} ${args.join(' ')}: ${how} (${seconds} s)`);
      resolvePromise(timedOut || signal ? null : code);
    });
  });
}

function serversMissing() {
  const needed = [
    '/usr/sbin/vsftpd',
    join(ROOT, '.cache/servers/root/usr/sbin/proftpd'),
    join(ROOT, '.cache/servers/root/usr/lib/proftpd/mod_tls.so'),
    join(ROOT, '.cache/servers/root/usr/sbin/pure-ftpd'),
    join(ROOT, '.cache/servers/root/usr/bin/pure-pw'),
    '/etc/pam.d/ferry-vsftpd',
  ];
  return needed.filter((p) => !existsSync(p));
}

function hasSpecFiles(dir) {
  if (!existsSync(dir)) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'screenshots') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory() && hasSpecFiles(full)) return true;
    if (entry.isFile() && /\.spec\.[cm]?[jt]sx?$/.test(entry.name)) return true;
  }
  return false;
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, cmd)));
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

async function main() {
  // (a) servers
  const missing = serversMissing();
  if (missing.length > 0) {
    if (process.getuid?.() === 0) {
      log(`test servers missing (${missing.join(', ')}): provisioning`);
      const code = await run('bash', ['scripts/provision-servers.sh'], {
        timeoutMs: LIMITS.provision,
      });
      if (code !== 0) log('provisioning failed: the real-server tests will fail');
    } else {
      log(
        `test servers missing (${missing.join(', ')}) and not running as root: skipping ` +
          'provisioning, so the real-server tests will fail. Run `sudo npm run provision`.',
      );
    }
  }

  mkdirSync(REPORTS, { recursive: true });
  const results = [];

  // (b) lint and typecheck: one result each
  for (const script of ['lint', 'typecheck']) {
    const code = await run('npm', ['run', '--silent', script], { timeoutMs: LIMITS.check });
    results.push({
      name: script,
      single: true,
      passed: code === 0 ? 1 : 0,
      failed: code === 0 ? 0 : 1,
      skipped: 0,
    });
  }

  // (c) Vitest: every project in vitest.config.ts (unit, servers, packaging; docs/TESTING.md)
  rmSync(VITEST_REPORT, { force: true });
  const vitestCode = await run(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${VITEST_REPORT}`],
    { timeoutMs: LIMITS.vitest },
  );
  results.push(summarize('vitest', readJson(VITEST_REPORT), vitestCode));

  // (d) Playwright
  if (existsSync(join(ROOT, 'playwright.config.ts')) && hasSpecFiles(join(ROOT, 'e2e'))) {
    rmSync(PLAYWRIGHT_REPORT, { force: true });
    const args = ['playwright', 'test', '--reporter=list,json'];
    let cmd = 'npx';
    let cmdArgs = args;
    if (!process.env.DISPLAY && onPath('xvfb-run')) {
      cmd = 'xvfb-run';
      cmdArgs = ['-a', '--server-args=-screen 0 1920x1080x24', 'npx', ...args];
    }
    const code = await run(cmd, cmdArgs, {
      env: { PLAYWRIGHT_JSON_OUTPUT_NAME: PLAYWRIGHT_REPORT },
      timeoutMs: LIMITS.e2e,
    });
    results.push(summarize('playwright', readJson(PLAYWRIGHT_REPORT), code));
  } else {
    log('no playwright.config.ts or no e2e/**/*.spec.ts: skipping Playwright');
  }

  // (e) totals
  const total = { passed: 0, failed: 0, skipped: 0 };
  process.stdout.write('\n');
  for (const r of results) {
    total.passed += r.passed;
    total.failed += r.failed;
    total.skipped += r.skipped;
    const detail = r.single
      ? r.failed > 0
        ? 'failed'
        : 'passed'
      : `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped` +
        (r.note ? ` (${r.note})` : '');
    process.stdout.write(`${r.name.padEnd(11)} ${detail}\n`);
  }
  const closing =
    `${total.passed} passed, ${total.failed} failed` +
    (total.skipped > 0 ? `, ${total.skipped} skipped` : '');
  process.stdout.write(`${closing}\n`);
  if (interrupted) return 130;
  return total.failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`[test-all] ${err instanceof Error ? err.stack : String(err)}\n`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exitCode = 1;
  },
);
