/** Trust prompts, the session's certificate dialog and the pinned certificates. */
import type { StateCreator } from 'zustand';
import type { TrustPrompt } from '../../../shared/ipc';
import type { CertificateReport } from '../../../shared/models';
import type { PinSummary } from '../../../shared/sites';

export interface CertificatesSlice {
  trustPrompts: TrustPrompt[];
  certificateOpen: boolean;
  pins: PinSummary[];
  /** The certificate shown from the pinned-certificates list. */
  inspect?: CertificateReport;
  pushTrustPrompt: (prompt: TrustPrompt) => void;
  shiftTrustPrompt: (promptId: string) => void;
  setCertificateOpen: (open: boolean) => void;
  setPins: (pins: PinSummary[]) => void;
  setInspect: (report: CertificateReport | undefined) => void;
}

export const createCertificatesSlice: StateCreator<CertificatesSlice> = (set) => ({
  trustPrompts: [],
  certificateOpen: false,
  pins: [],
  pushTrustPrompt: (prompt) => set((s) => ({ trustPrompts: [...s.trustPrompts, prompt] })),
  shiftTrustPrompt: (promptId) =>
    set((s) => ({ trustPrompts: s.trustPrompts.filter((p) => p.promptId !== promptId) })),
  setCertificateOpen: (certificateOpen) => set({ certificateOpen }),
  setPins: (pins) => set({ pins }),
  setInspect: (inspect) => set({ inspect }),
});
