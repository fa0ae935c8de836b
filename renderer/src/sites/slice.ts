/** The saved sites, their secrets status, the credential prompt and the save offer. */
import type { StateCreator } from 'zustand';
import type { ConnectRequest } from '../../../shared/ipc';
import type {
  CredentialPrompt,
  SecretsStatus,
  Site,
  SiteTree,
  StoreNotice,
} from '../../../shared/sites';

export interface SaveOffer {
  request: ConnectRequest;
}

export interface SitesSlice {
  tree: SiteTree;
  secrets: SecretsStatus;
  /** Sites that go on without TLS when the server refuses it, as the user chose. */
  plainFallback: string[];
  notices: StoreNotice[];
  siteManagerOpen: boolean;
  /** Asking for a password (or passphrase) before connecting to a saved site. */
  credentials?: { site: Site; prompt: CredentialPrompt };
  /** After a successful quick connect to a server that is not saved yet. */
  saveOffer?: SaveOffer;
  /** The site to select when the site manager opens. */
  focusSiteId?: string;
  setSiteManagerOpen: (open: boolean) => void;
}

export const createSitesSlice: StateCreator<SitesSlice> = (set) => ({
  tree: { folders: [], sites: [] },
  secrets: { available: true },
  plainFallback: [],
  notices: [],
  siteManagerOpen: false,
  setSiteManagerOpen: (siteManagerOpen) => set({ siteManagerOpen }),
});
