/** The protocol log (the last LOG_LIMIT lines) and whether its panel is open. */
import type { StateCreator } from 'zustand';
import type { LogLine } from '../../../shared/models';

const LOG_LIMIT = 3000;

export interface LogSlice {
  log: LogLine[];
  logOpen: boolean;
  appendLog: (lines: LogLine[]) => void;
  setLogOpen: (open: boolean) => void;
}

export const createLogSlice: StateCreator<LogSlice> = (set) => ({
  log: [],
  logOpen: true,
  appendLog: (lines) =>
    set((s) => {
      const log = s.log.concat(lines);
      return { log: log.length > LOG_LIMIT ? log.slice(log.length - LOG_LIMIT) : log };
    }),
  setLogOpen: (logOpen) => set({ logOpen }),
});
