#!/usr/bin/env node
// Turns Vitest's and Playwright's JSON reports into passed/failed/skipped counts.
// Used by scripts/test-all.mjs; run alone (`node scripts/summarize-reports.mjs`) it prints the
// totals of the reports already in reports/.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {{ name: string, passed: number, failed: number, skipped: number, note?: string,
 *   single?: boolean }} RunnerResult
 */

/** Vitest's JSON reporter (Jest-compatible shape). */
function fromVitest(report) {
  const passed = report.numPassedTests ?? 0;
  let failed = report.numFailedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that fails to load, or whose beforeAll/afterAll throws, is marked failed without a
  // failed test in it: count each such file once.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) =>
      file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed'),
  );
  failed += brokenFiles.length;
  const note =
    brokenFiles.length > 0
      ? `${brokenFiles.length} file(s) failed outside tests: ${brokenFiles
          .map((f) => f.name)
          .join(', ')}`
      : undefined;
  return { passed, failed, skipped, note };
}

/** Playwright's JSON reporter. */
function fromPlaywright(report) {
  const stats = report.stats ?? {};
  // Flaky tests passed on a retry: they count as passed (the list reporter names them).
  const passed = (stats.expected ?? 0) + (stats.flaky ?? 0);
  let failed = stats.unexpected ?? 0;
  const skipped = stats.skipped ?? 0;
  const errors = report.errors ?? [];
  let note = stats.flaky ? `${stats.flaky} flaky` : undefined;
  if (errors.length > 0 && failed === 0) {
    // Global errors (global setup, config, a test file that does not load) fail the run.
    failed += 1;
    note = `${errors.length} error(s) outside tests`;
  }
  return { passed, failed, skipped, note };
}

/**
 * @param {string} name runner name ('vitest' or 'playwright')
 * @param {unknown} report the parsed JSON report, or undefined when there is none
 * @param {number | null} exitCode the runner's exit code (null: killed or timed out)
 * @returns {RunnerResult}
 */
export function summarize(name, report, exitCode) {
  if (report === undefined || report === null || typeof report !== 'object') {
    return {
      name,
      passed: 0,
      failed: 1,
      skipped: 0,
      note: `no report (${exitCode === null ? 'killed or timed out' : `exit code ${exitCode}`})`,
    };
  }
  const counts = 'numTotalTests' in report ? fromVitest(report) : fromPlaywright(report);
  if (exitCode !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.note = `exit code ${exitCode ?? 'none'} although no test failed`;
  }
  return { name, ...counts };
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const reports = join(dirname(fileURLToPath(import.meta.url)), '..', 'reports');
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const [name, file] of [
    ['vitest', 'vitest.json'],
    ['playwright', 'playwright.json'],
  ]) {
    const report = readJson(join(reports, file));
    if (report === undefined) continue;
    const r = summarize(name, report, 0);
    total.passed += r.passed;
    total.failed += r.failed;
    total.skipped += r.skipped;
    process.stdout.write(
      `${name.padEnd(11)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped` +
        `${r.note ? ` (${r.note})` : ''}\n`,
    );
  }
  process.stdout.write(
    `${total.passed} passed, ${total.failed} failed` +
      (total.skipped > 0 ? `, ${total.skipped} skipped` : '') +
      '\n',
  );
  process.exitCode = total.failed > 0 ? 1 : 0;
}
