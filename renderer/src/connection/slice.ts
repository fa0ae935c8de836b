/** The session as main reports it, the recent connections and the insecure-server prompts. */
import type { StateCreator } from 'zustand';
import type { AppInfo, InsecurePrompt, RecentConnection, SessionState } from '../../../shared/ipc';

export interface ConnectionSlice {
  app?: AppInfo;
  session: SessionState;
  recent: RecentConnection[];
  insecurePrompts: InsecurePrompt[];
  setApp: (app: AppInfo) => void;
  setSession: (session: SessionState) => void;
  setRecent: (recent: RecentConnection[]) => void;
  pushInsecurePrompt: (prompt: InsecurePrompt) => void;
  shiftInsecurePrompt: (promptId: string) => void;
}

export const createConnectionSlice: StateCreator<ConnectionSlice> = (set) => ({
  session: { status: 'disconnected' },
  recent: [],
  insecurePrompts: [],
  setApp: (app) => set({ app }),
  setSession: (session) => set({ session }),
  setRecent: (recent) => set({ recent }),
  pushInsecurePrompt: (prompt) => set((s) => ({ insecurePrompts: [...s.insecurePrompts, prompt] })),
  shiftInsecurePrompt: (promptId) =>
    set((s) => ({ insecurePrompts: s.insecurePrompts.filter((p) => p.promptId !== promptId) })),
});
