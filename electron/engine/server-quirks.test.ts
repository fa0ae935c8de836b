import { describe, expect, it } from 'vitest';
import { serverQuirks } from './server-quirks';

const off = { overlapNextPassive: false, earlyCloseNotify: false };

describe('serverQuirks', () => {
  it("overlaps only for vsftpd's default greeting", () => {
    expect(serverQuirks('(vsFTPd 3.0.3)')).toEqual({
      overlapNextPassive: true,
      earlyCloseNotify: true,
    });
    expect(serverQuirks('(vsFTPd 2.3.4)').overlapNextPassive).toBe(true);
  });

  it('is conservative for ProFTPD, pure-ftpd, custom banners and unknown servers', () => {
    expect(serverQuirks('ProFTPD Server (Debian) [127.0.0.1]')).toEqual(off);
    expect(serverQuirks('---------- Welcome to Pure-FTPd [privsep] [TLS] ----------')).toEqual(off);
    expect(serverQuirks('Welcome to our FTP service (vsFTPd 3.0.3) for staff')).toEqual(off);
    expect(serverQuirks('Hostile FTP server ready')).toEqual(off);
  });
});
