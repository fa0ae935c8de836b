import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { StringCipher } from './secret-store';

/**
 * A real AES-256-GCM StringCipher with a key held in memory: the same shape as Electron's
 * `safeStorage`. Used by tests and by the Playwright bridge, where no OS keychain exists.
 * Output: 12-byte IV, 16-byte tag, ciphertext.
 */
export function aesGcmCipher(
  key: Buffer = randomBytes(32),
  options: { available?: () => boolean } = {},
): StringCipher {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
  return {
    isEncryptionAvailable: options.available ?? (() => true),
    encryptString(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      if (encrypted.length < 28) throw new Error('ciphertext too short');
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
