import { create } from 'zustand';
import type {
  AppInfo,
  Listing,
  PaneSide,
  RecentConnection,
  SessionState,
  InsecurePrompt,
  TrustPrompt,
} from '../../shared/ipc';
import type { LogLine, RemoteEntry } from '../../shared/models';
import type {
  FileExistsQuestion,
  ProgressBatch,
  TransferItem,
  TransferProgressSample,
  TransferTotals,
} from '../../shared/transfers';

import type { PaneSort, SortKey } from '../../shared/layout';
import type { Settings } from '../../shared/sites';

export type { SortKey };

export interface PaneState {
  path: string;
  entries: RemoteEntry[];
  loading: boolean;
  error?: string;
  sort: { key: SortKey; descending: boolean };
  /** Selected entry names. */
  selected: string[];
  /** The entry with keyboard focus. */
  cursor?: string;
  /** Bumped to request a refresh (menu, F5). */
  version: number;
}

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  /** Offers "Don't ask again", which turns this confirmation setting off when confirmed. */
  dontAskAgain?: keyof Settings['confirm'];
  resolve: (ok: boolean) => void;
}

export interface InputRequest {
  title: string;
  label: string;
  initial: string;
  confirmLabel: string;
  resolve: (value: string | undefined) => void;
}

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** The suggested next step (errors with advice). */
  action?: string;
  /** The raw error behind "Details". */
  detail?: string;
}

const EMPTY_TOTALS: TransferTotals = {
  queued: 0,
  active: 0,
  done: 0,
  failed: 0,
  bytesDone: 0,
  bytesTotal: 0,
  speed: 0,
};

const emptyPane = (): PaneState => ({
  path: '',
  entries: [],
  loading: false,
  sort: { key: 'name', descending: false },
  selected: [],
  version: 0,
});

export interface AppState {
  app?: AppInfo;
  session: SessionState;
  recent: RecentConnection[];
  panes: Record<PaneSide, PaneState>;
  activePane: PaneSide;
  transferIds: string[];
  transfers: Record<string, TransferItem>;
  progress: Record<string, TransferProgressSample>;
  totals: TransferTotals;
  trustPrompts: TrustPrompt[];
  insecurePrompts: InsecurePrompt[];
  fileExists: FileExistsQuestion[];
  log: LogLine[];
  logOpen: boolean;
  certificateOpen: boolean;
  siteManagerOpen: boolean;
  confirm?: ConfirmRequest;
  input?: InputRequest;
  toasts: Toast[];
  connectFocus: number;
  /** What the connect bar shows: a launch URL, a recent connection, or the session's server. */
  prefill?: { connection: RecentConnection; tick: number; focus: boolean };
  prefillConnect: (connection: RecentConnection, focus?: boolean) => void;

  setApp: (app: AppInfo) => void;
  setSession: (session: SessionState) => void;
  setRecent: (recent: RecentConnection[]) => void;
  paneLoading: (side: PaneSide, path?: string) => void;
  paneListing: (listing: Listing) => void;
  paneError: (side: PaneSide, error: string) => void;
  paneReset: (side: PaneSide) => void;
  setSort: (side: PaneSide, key: SortKey) => void;
  restoreSort: (side: PaneSide, sort: PaneSort) => void;
  setSelection: (side: PaneSide, selected: string[], cursor?: string) => void;
  setActivePane: (side: PaneSide) => void;
  refreshPane: (side: PaneSide) => void;
  upsertTransfers: (items: TransferItem[]) => void;
  removeTransfers: (ids: string[]) => void;
  applyProgress: (batch: ProgressBatch) => void;
  pushTrustPrompt: (prompt: TrustPrompt) => void;
  shiftTrustPrompt: (promptId: string) => void;
  pushInsecurePrompt: (prompt: InsecurePrompt) => void;
  shiftInsecurePrompt: (promptId: string) => void;
  pushFileExists: (question: FileExistsQuestion) => void;
  shiftFileExists: (questionId: string) => void;
  appendLog: (lines: LogLine[]) => void;
  setLogOpen: (open: boolean) => void;
  setCertificateOpen: (open: boolean) => void;
  setSiteManagerOpen: (open: boolean) => void;
  askConfirm: (request: Omit<ConfirmRequest, 'resolve'>) => Promise<boolean>;
  closeConfirm: (ok: boolean) => void;
  askInput: (request: Omit<InputRequest, 'resolve'>) => Promise<string | undefined>;
  closeInput: (value: string | undefined) => void;
  toast: (kind: Toast['kind'], text: string, extra?: Pick<Toast, 'action' | 'detail'>) => void;
  dismissToast: (id: number) => void;
  focusConnect: () => void;
}

const LOG_LIMIT = 3000;

/** The server the connect bar shows (host, port, mode, user), to tell a new session from it. */
let barIdentity = '';

export function connectIdentity(target: {
  host: string;
  port: number;
  mode: string;
  user: string;
}): string {
  return `${target.host.toLowerCase()}|${target.port}|${target.mode}|${target.user}`;
}

/** The connect bar starts a session with what it shows: nothing to copy back into it. */
export function noteBarConnect(target: Parameters<typeof connectIdentity>[0]): void {
  barIdentity = connectIdentity(target);
}
let toastId = 0;

export const useStore = create<AppState>()((set, get) => ({
  session: { status: 'disconnected' },
  recent: [],
  panes: { local: emptyPane(), remote: emptyPane() },
  activePane: 'local',
  transferIds: [],
  transfers: {},
  progress: {},
  totals: EMPTY_TOTALS,
  trustPrompts: [],
  insecurePrompts: [],
  fileExists: [],
  log: [],
  logOpen: true,
  certificateOpen: false,
  siteManagerOpen: false,
  toasts: [],
  connectFocus: 0,
  prefillConnect: (connection, focus = true) =>
    set((s) => ({
      prefill: { connection, tick: (s.prefill?.tick ?? 0) + 1, focus },
      ...(focus ? { siteManagerOpen: false } : {}),
    })),

  setApp: (app) => set({ app }),
  setSession: (session) => {
    set({ session });
    // One source of truth: a session started elsewhere (a saved site, a launch URL) puts its
    // server and mode into the connect bar, so Disconnect then Connect reuses them.
    const target = session.target;
    if (target && (session.status === 'connecting' || session.status === 'connected')) {
      const identity = connectIdentity(target);
      if (identity !== barIdentity) {
        barIdentity = identity;
        get().prefillConnect({ ...target, lastUsed: '' }, false);
      }
    }
  },
  setRecent: (recent) => set({ recent }),
  paneLoading: (side, path) =>
    set((s) => ({
      panes: {
        ...s.panes,
        [side]: { ...s.panes[side], loading: true, ...(path !== undefined ? { path } : {}) },
      },
    })),
  paneListing: (listing) =>
    set((s) => {
      const pane = s.panes[listing.side];
      const names = new Set(listing.entries.map((e) => e.name));
      const samePath = pane.path === listing.path;
      const next: PaneState = {
        ...pane,
        path: listing.path,
        entries: listing.entries,
        loading: false,
        selected: samePath ? pane.selected.filter((n) => names.has(n)) : [],
      };
      delete next.error;
      if (!samePath || (pane.cursor !== undefined && !names.has(pane.cursor))) delete next.cursor;
      return { panes: { ...s.panes, [listing.side]: next } };
    }),
  paneError: (side, error) =>
    set((s) => ({ panes: { ...s.panes, [side]: { ...s.panes[side], loading: false, error } } })),
  paneReset: (side) =>
    set((s) => ({ panes: { ...s.panes, [side]: { ...emptyPane(), sort: s.panes[side].sort } } })),
  setSort: (side, key) =>
    set((s) => {
      const sort = s.panes[side].sort;
      const descending = sort.key === key ? !sort.descending : key === 'modified' || key === 'size';
      return { panes: { ...s.panes, [side]: { ...s.panes[side], sort: { key, descending } } } };
    }),
  restoreSort: (side, sort) =>
    set((s) => ({ panes: { ...s.panes, [side]: { ...s.panes[side], sort: { ...sort } } } })),
  setSelection: (side, selected, cursor) =>
    set((s) => ({
      panes: {
        ...s.panes,
        [side]: { ...s.panes[side], selected, cursor: cursor ?? s.panes[side].cursor },
      },
    })),
  setActivePane: (activePane) => set({ activePane }),
  refreshPane: (side) =>
    set((s) => ({
      panes: { ...s.panes, [side]: { ...s.panes[side], version: s.panes[side].version + 1 } },
    })),
  upsertTransfers: (items) =>
    set((s) => {
      const transfers = { ...s.transfers };
      const added: string[] = [];
      for (const item of items) {
        if (!transfers[item.id]) added.push(item.id);
        transfers[item.id] = item;
      }
      return {
        transfers,
        transferIds: added.length > 0 ? [...s.transferIds, ...added] : s.transferIds,
      };
    }),
  removeTransfers: (ids) =>
    set((s) => {
      const gone = new Set(ids);
      const transfers = { ...s.transfers };
      const progress = { ...s.progress };
      for (const id of ids) {
        delete transfers[id];
        delete progress[id];
      }
      return { transfers, progress, transferIds: s.transferIds.filter((id) => !gone.has(id)) };
    }),
  applyProgress: (batch) =>
    set((s) => {
      if (batch.samples.length === 0) return { totals: batch.totals };
      const progress = { ...s.progress };
      for (const sample of batch.samples) progress[sample.id] = sample;
      return { progress, totals: batch.totals };
    }),
  pushTrustPrompt: (prompt) => set((s) => ({ trustPrompts: [...s.trustPrompts, prompt] })),
  shiftTrustPrompt: (promptId) =>
    set((s) => ({ trustPrompts: s.trustPrompts.filter((p) => p.promptId !== promptId) })),
  pushInsecurePrompt: (prompt) => set((s) => ({ insecurePrompts: [...s.insecurePrompts, prompt] })),
  shiftInsecurePrompt: (promptId) =>
    set((s) => ({
      insecurePrompts: s.insecurePrompts.filter((p) => p.promptId !== promptId),
    })),
  pushFileExists: (question) => set((s) => ({ fileExists: [...s.fileExists, question] })),
  shiftFileExists: (questionId) =>
    set((s) => ({ fileExists: s.fileExists.filter((q) => q.questionId !== questionId) })),
  appendLog: (lines) =>
    set((s) => {
      const log = s.log.concat(lines);
      return { log: log.length > LOG_LIMIT ? log.slice(log.length - LOG_LIMIT) : log };
    }),
  setLogOpen: (logOpen) => set({ logOpen }),
  setCertificateOpen: (certificateOpen) => set({ certificateOpen }),
  setSiteManagerOpen: (siteManagerOpen) => set({ siteManagerOpen }),
  askConfirm: (request) =>
    new Promise<boolean>((resolve) => {
      get().confirm?.resolve(false);
      set({ confirm: { ...request, resolve } });
    }),
  closeConfirm: (ok) => {
    const confirm = get().confirm;
    set({ confirm: undefined });
    confirm?.resolve(ok);
  },
  askInput: (request) =>
    new Promise<string | undefined>((resolve) => {
      get().input?.resolve(undefined);
      set({ input: { ...request, resolve } });
    }),
  closeInput: (value) => {
    const input = get().input;
    set({ input: undefined });
    input?.resolve(value);
  },
  toast: (kind, text, extra = {}) => {
    const id = ++toastId;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, kind, text, ...extra }] }));
    // An error with a next step stays until dismissed: it is something to act on.
    if (!extra.action) setTimeout(() => get().dismissToast(id), kind === 'error' ? 8000 : 4000);
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  focusConnect: () => set((s) => ({ connectFocus: s.connectFocus + 1 })),
}));
