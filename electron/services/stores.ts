import { join } from 'node:path';
import { pinFileIn } from './pins/legacy-pin-file';
import { PersistentPinStore } from './pins/pin-store';
import { RecentConnections } from './recent';
import {
  EncryptedFileSecretStore,
  UnavailableSecretStore,
  type SecretStore,
  type StringCipher,
} from './secrets/secret-store';
import { SettingsStore } from './settings/settings-store';
import { PlainFallbackStore } from './sites/plain-fallback';
import { SiteStore } from './sites/site-store';

/** What the app keeps between runs, each store in its own JSON file. */
export interface Stores {
  recent: RecentConnections;
  pins: PersistentPinStore;
  /** Saved passwords: encrypted with `secretCipher`, or never saved without one. */
  secrets: SecretStore;
  sites: SiteStore;
  settings: SettingsStore;
  plainFallback: PlainFallbackStore;
}

/** Opens the stores in `dataDir` (Electron: userData). */
export function openStores(dataDir: string, secretCipher?: StringCipher): Stores {
  const secrets: SecretStore = secretCipher
    ? new EncryptedFileSecretStore(join(dataDir, 'secrets.json'), secretCipher)
    : new UnavailableSecretStore();
  return {
    recent: new RecentConnections(join(dataDir, 'recent-connections.json')),
    pins: new PersistentPinStore(pinFileIn(dataDir)),
    secrets,
    sites: new SiteStore({ file: join(dataDir, 'sites.json'), secrets }),
    settings: new SettingsStore(join(dataDir, 'settings.json')),
    plainFallback: new PlainFallbackStore(join(dataDir, 'plain-fallback.json')),
  };
}
