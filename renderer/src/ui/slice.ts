/** What every feature shares: the confirm and input dialogs and the toasts. */
import type { StateCreator } from 'zustand';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  /** Offers "Don't ask again": called when the user ticks it and confirms. */
  dontAskAgain?: () => void;
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

export interface UiSlice {
  confirm?: ConfirmRequest;
  input?: InputRequest;
  toasts: Toast[];
  askConfirm: (request: Omit<ConfirmRequest, 'resolve'>) => Promise<boolean>;
  closeConfirm: (ok: boolean) => void;
  askInput: (request: Omit<InputRequest, 'resolve'>) => Promise<string | undefined>;
  closeInput: (value: string | undefined) => void;
  toast: (kind: Toast['kind'], text: string, extra?: Pick<Toast, 'action' | 'detail'>) => void;
  dismissToast: (id: number) => void;
}

let toastId = 0;

export const createUiSlice: StateCreator<UiSlice> = (set, get) => ({
  toasts: [],
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
});
