/**
 * The state of the site form: the fields, secrets typed, errors, the tab, and save/connect. A
 * draft (no `site`) is created on its first save; nothing reaches main before that.
 */
import { useState } from 'react';
import type { SecurityMode } from '../../../shared/models';
import {
  changedBindingFields,
  defaultSiteInput,
  validateSite,
  type FieldError,
  type Site,
  type SiteInput,
  type SiteSecrets,
} from '../../../shared/sites';
import { useStore } from '../app/store';
import { toastFailure } from '../ui/toasts';
import { checkSiteFiles, connectToSite, saveSite } from './actions';
import { defaultPort } from '../../../shared/ports';

export type Tab = 'general' | 'tls' | 'transfer' | 'notes';

export const TABS: Array<[Tab, string]> = [
  ['general', 'General'],
  ['tls', 'TLS'],
  ['transfer', 'Transfer'],
  ['notes', 'Notes'],
];

export const TAB_OF: Record<string, Tab> = {
  name: 'general',
  host: 'general',
  port: 'general',
  mode: 'general',
  logonType: 'general',
  user: 'general',
  parentId: 'general',
  tlsMin: 'tls',
  tlsMax: 'tls',
  dataProtection: 'tls',
  ccc: 'tls',
  clientCertificate: 'tls',
  'clientCertificate.certFile': 'tls',
  'clientCertificate.keyFile': 'tls',
  'clientCertificate.pfxFile': 'tls',
  caFile: 'tls',
  transferMode: 'transfer',
  listCommand: 'transfer',
  maxConnections: 'transfer',
  segmentedDownloads: 'transfer',
  localDir: 'transfer',
  remoteDir: 'transfer',
  comments: 'notes',
  colour: 'notes',
};

export function inputOf(site: Site): SiteInput {
  const {
    id: _id,
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    hasPassword: _hasPassword,
    ...input
  } = site;
  return input;
}

export interface SiteFormOptions {
  /** The saved site, or undefined for a draft. */
  site: Site | undefined;
  /** The starting values of a draft. */
  draft?: SiteInput;
  /** A draft was saved: it is a site now. */
  onCreated?: (site: Site) => void;
  /** What the status line says at first (e.g. "Saved" right after a draft was created). */
  initialNote?: string;
}

export function useSiteForm({ site, draft, onCreated, initialNote }: SiteFormOptions) {
  const secrets = useStore((s) => s.secrets);
  const plainRemembered = useStore((s) => !!site && s.plainFallback.includes(site.id));
  const folders = useStore((s) => s.tree.folders);
  const [input, setInput] = useState<SiteInput>(() =>
    site ? inputOf(site) : (draft ?? defaultSiteInput()),
  );
  const [password, setPassword] = useState<string | undefined>(undefined);
  const [passphrase, setPassphrase] = useState<string | undefined>(undefined);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [tab, setTab] = useState<Tab>('general');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | undefined>(initialNote);

  // A saved password stays bound to host, port, user, mode and CA file (see shared/sites.ts).
  const moved = site ? changedBindingFields(site, input) : [];
  const dirty =
    !site ||
    JSON.stringify(input) !== JSON.stringify(inputOf(site)) ||
    password !== undefined ||
    passphrase !== undefined;

  const set = <K extends keyof SiteInput>(key: K, value: SiteInput[K]) => {
    setInput((current) => ({ ...current, [key]: value }));
    setErrors((current) => current.filter((e) => e.field !== key));
    setSaved(undefined);
  };
  const errorOf = (field: FieldError['field']) =>
    errors
      .filter((e) => e.field === field)
      .map((e) => e.message)
      .join(' ') || undefined;

  const changeMode = (mode: SecurityMode) => {
    setInput((current) => ({
      ...current,
      mode,
      port: current.port === defaultPort(current.mode) ? defaultPort(mode) : current.port,
      ...(mode === 'plain' ? { ccc: false, clientCertificate: null } : {}),
    }));
  };

  const showProblems = (problems: FieldError[]) => {
    setErrors(problems);
    const first = problems[0];
    if (first) setTab(TAB_OF[first.field] ?? 'general');
  };

  /** Saves the form; returns the saved site, or undefined when something is wrong. */
  const save = async (): Promise<Site | undefined> => {
    const local = validateSite(input);
    const files = local.length === 0 ? await checkSiteFiles(input) : [];
    const problems = [...local, ...files];
    if (problems.length > 0) {
      showProblems(problems);
      return undefined;
    }
    if (site && !dirty) return site;
    const siteSecrets: SiteSecrets = {};
    if (password !== undefined) siteSecrets.password = password;
    if (passphrase !== undefined) siteSecrets.clientCertPassphrase = passphrase;
    setBusy(true);
    try {
      const result = await saveSite(site?.id, input, siteSecrets);
      if (!result.ok) {
        setErrors(result.errors);
        return undefined;
      }
      setPassword(undefined);
      setPassphrase(undefined);
      setErrors([]);
      setSaved('Saved');
      if (!site) onCreated?.(result.site);
      return result.site;
    } catch (error) {
      toastFailure(error);
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  const connect = async () => {
    const current = await save();
    if (current) await connectToSite(current);
  };

  const status =
    errors.length > 0
      ? `${errors.length} field${errors.length === 1 ? '' : 's'} to fix`
      : (saved ?? (!site ? 'Not saved yet' : dirty ? 'Unsaved changes' : ''));

  return {
    site,
    secrets,
    plainRemembered,
    folders,
    input,
    set,
    errorOf,
    errors,
    changeMode,
    password,
    setPassword,
    passphrase,
    setPassphrase,
    tab,
    setTab,
    busy,
    setSaved,
    dirty,
    moved,
    save,
    connect,
    status,
  };
}

export type SiteFormState = ReturnType<typeof useSiteForm>;
