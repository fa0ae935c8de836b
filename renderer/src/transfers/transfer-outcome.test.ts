import { describe, expect, it } from 'vitest';
import type { TransferItem } from '../../../shared/transfers';
import { describeOutcome, showsSpeed } from './transfer-outcome';

function done(fields: Partial<TransferItem>): TransferItem {
  return {
    id: 'i1',
    jobId: 'j1',
    siteKey: 's',
    direction: 'download',
    localPath: '/tmp/a.bin',
    remotePath: '/a.bin',
    state: 'done',
    priority: 0,
    bytesDone: 0,
    retries: 0,
    ...fields,
  };
}

describe('describeOutcome', () => {
  it('names the checksum that passed, whichever command gave it', () => {
    expect(describeOutcome(done({ verification: 'HASH SHA-256' }))?.facts).toEqual([
      'SHA-256 verified',
    ]);
    expect(describeOutcome(done({ verification: 'XCRC' }))?.facts).toEqual(['CRC-32 verified']);
    expect(describeOutcome(done({ verification: 'XSHA1' }))?.details[0]).toContain('XSHA1');
  });

  it('says when only the size could be checked', () => {
    const outcome = describeOutcome(done({ verification: 'size' }));
    expect(outcome?.label).toBe('Done');
    expect(outcome?.facts).toEqual(['size checked']);
    expect(outcome?.details[0]).toMatch(/^Checked by size: the server gave no checksum/);
  });

  it('shows where a transfer resumed and how often it was retried', () => {
    const once = describeOutcome(
      done({ verification: 'size', resumedAt: [1_258_291], retries: 1 }),
    );
    expect(once?.facts).toEqual(['size checked', 'resumed at 1.2 MB', '1 retry']);
    const twice = describeOutcome(done({ resumedAt: [0, 2048, 4096], retries: 3 }));
    expect(twice?.facts).toEqual(['resumed 2×, last at 4.0 KB', '3 retries']);
    expect(twice?.details).toContain('Resumed from 2.0 KB, 4.0 KB');
  });

  it('does not call a restart from zero a resume', () => {
    expect(describeOutcome(done({ resumedAt: [0] }))?.facts).toEqual([]);
  });

  it('labels a file the policy left alone as skipped, with the reason', () => {
    const outcome = describeOutcome(done({ skipped: 'same size', verification: 'size' }));
    expect(outcome).toEqual({
      label: 'Skipped',
      facts: ['same size'],
      details: ['Skipped by the file-exists policy: same size'],
    });
  });

  it('keeps the TLS session and the digest for the tooltip', () => {
    const details = describeOutcome(done({ tlsResumed: false, sha256: 'ab'.repeat(32) }))?.details;
    expect(details).toContain(
      'The data connection did not resume the TLS session of the control connection',
    );
    expect(details).toContain(`SHA-256 ${'ab'.repeat(32)}`);
  });

  it('has nothing to say before the item is done', () => {
    expect(describeOutcome(done({ state: 'transferring' }))).toBeUndefined();
  });
});

describe('showsSpeed', () => {
  it('shows speed and time left only while bytes move (issue 14: not while connecting or paused)', () => {
    expect(showsSpeed('transferring')).toBe(true);
    for (const state of ['connecting', 'verifying', 'paused', 'queued', 'done'] as const) {
      expect(showsSpeed(state), state).toBe(false);
    }
  });
});
