/**
 * Where passwords and client-certificate passphrases live: never in sites.json, never in logs or
 * exports. The app encrypts them with Electron's `safeStorage` (the OS keychain protects the key);
 * this module only sees a cipher of the same shape, so it runs and is tested in plain Node.
 */
import { readVersionedJson, writeVersionedJson } from '../../files/atomic-json';
import type { StoreNotice } from '../../../shared/sites';

export interface SecretStore {
  /** Whether secrets can be stored at all. When false, the UI asks for passwords at connect time. */
  available(): boolean;
  /** Why secrets cannot be stored, for the UI (undefined when available). */
  unavailableReason(): string | undefined;
  get(key: string): Promise<string | undefined>;
  /** Throws SecretsUnavailableError when `available()` is false. */
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every key starting with `prefix` (all secrets of one site). */
  deletePrefix(prefix: string): Promise<void>;
  /** What went wrong reading the stored secrets, for Settings (undefined when nothing did). */
  notice(): StoreNotice | undefined;
}

/** Exactly the part of Electron's `safeStorage` this store uses. */
export interface StringCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /**
   * Linux only (Electron's `safeStorage.getSelectedStorageBackend()`): which store protects the
   * key. Absent elsewhere, where the OS keychain (Keychain, DPAPI) is always the backend.
   */
  getSelectedStorageBackend?(): string;
}

/** Linux backends where the OS, not a key built into Electron, protects the encryption key. */
const OS_KEYCHAIN_BACKENDS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

function backendReason(backend: string): string {
  return (
    `no system keychain is in use (Electron's storage backend is "${backend}": a saved password ` +
    'would be protected only by a key built into the app, which is as good as plain text), ' +
    'so Ferry does not save passwords and asks for them each time you connect. Start a Secret ' +
    'Service (GNOME Keyring) or KWallet and restart Ferry to save them'
  );
}

/** set() on a store that cannot encrypt. The UI catches it and asks at connect time instead. */
export class SecretsUnavailableError extends Error {
  readonly code = 'secrets-unavailable';
  constructor(readonly reason: string) {
    super(`Passwords cannot be saved: ${reason}`);
    this.name = 'SecretsUnavailableError';
  }
}

const SCHEMA_VERSION = 1;

interface SecretsFile {
  /** key → base64 of the cipher's output. */
  entries: Record<string, string>;
}

const DEFAULT_UNAVAILABLE_REASON =
  'the system keychain is not available (on Linux: no Secret Service or KWallet is running), ' +
  'so Ferry asks for the password each time you connect';

/**
 * Secrets encrypted with an injected cipher, kept in one JSON file (`secrets.json`) of base64
 * ciphertexts. Nothing is written in clear text: when the cipher is unavailable, set() refuses.
 * A value that no longer decrypts (keychain reset) reads as missing.
 */
export class EncryptedFileSecretStore implements SecretStore {
  private cache: Promise<SecretsFile> | undefined;
  private noticeValue: StoreNotice | undefined;

  constructor(
    private readonly file: string,
    private readonly cipher: StringCipher,
    private readonly reasonWhenUnavailable = DEFAULT_UNAVAILABLE_REASON,
  ) {}

  /** The Linux backend when it is not an OS keychain (`basic_text`, `unknown`), else undefined. */
  private weakBackend(): string | undefined {
    if (!this.cipher.getSelectedStorageBackend) return undefined;
    let backend: string;
    try {
      backend = this.cipher.getSelectedStorageBackend();
    } catch {
      backend = 'unknown';
    }
    return OS_KEYCHAIN_BACKENDS.has(backend) ? undefined : backend;
  }

  available(): boolean {
    // Electron says "available" for basic_text too; only an OS-protected key counts here.
    if (this.weakBackend() !== undefined) return false;
    try {
      return this.cipher.isEncryptionAvailable();
    } catch {
      return false;
    }
  }

  unavailableReason(): string | undefined {
    const weak = this.weakBackend();
    if (weak !== undefined) return backendReason(weak);
    return this.available() ? undefined : this.reasonWhenUnavailable;
  }

  /** Set when the secrets file was unreadable and set aside at load. */
  notice(): StoreNotice | undefined {
    return this.noticeValue;
  }

  private load(): Promise<SecretsFile> {
    this.cache ??= readVersionedJson<SecretsFile>(this.file, {
      schemaVersion: SCHEMA_VERSION,
      fallback: () => ({ entries: {} }),
      parse: (data) => {
        const entries = (data as { entries?: unknown } | null)?.entries;
        if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
          throw new Error('no entries');
        }
        const clean: Record<string, string> = {};
        for (const [key, value] of Object.entries(entries)) {
          if (typeof value === 'string') clean[key] = value;
        }
        return { entries: clean };
      },
    }).then((result) => {
      this.noticeValue = result.notice;
      return result.value;
    });
    return this.cache;
  }

  async get(key: string): Promise<string | undefined> {
    const stored = (await this.load()).entries[key];
    if (stored === undefined || !this.available()) return undefined;
    try {
      return this.cipher.decryptString(Buffer.from(stored, 'base64'));
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string): Promise<void> {
    if (!this.available()) {
      throw new SecretsUnavailableError(this.unavailableReason() ?? this.reasonWhenUnavailable);
    }
    const encrypted = this.cipher.encryptString(value).toString('base64');
    const current = await this.load();
    await this.save({ entries: { ...current.entries, [key]: encrypted } });
  }

  async delete(key: string): Promise<void> {
    const current = await this.load();
    if (!(key in current.entries)) return;
    const { [key]: _removed, ...rest } = current.entries;
    await this.save({ entries: rest });
  }

  async deletePrefix(prefix: string): Promise<void> {
    const current = await this.load();
    const keep = Object.fromEntries(
      Object.entries(current.entries).filter(([key]) => !key.startsWith(prefix)),
    );
    if (Object.keys(keep).length === Object.keys(current.entries).length) return;
    await this.save({ entries: keep });
  }

  private async save(next: SecretsFile): Promise<void> {
    this.cache = Promise.resolve(next);
    await writeVersionedJson(this.file, SCHEMA_VERSION, next);
  }
}

/**
 * The store used where no keychain exists (the command line, or a Linux session without a
 * Secret Service): nothing can be stored, nothing is read.
 */
export class UnavailableSecretStore implements SecretStore {
  constructor(private readonly reason = DEFAULT_UNAVAILABLE_REASON) {}
  available(): boolean {
    return false;
  }
  unavailableReason(): string {
    return this.reason;
  }
  get(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  set(): Promise<void> {
    return Promise.reject(new SecretsUnavailableError(this.reason));
  }
  delete(): Promise<void> {
    return Promise.resolve();
  }
  deletePrefix(): Promise<void> {
    return Promise.resolve();
  }
  notice(): undefined {
    return undefined;
  }
}
