import type { CommandContext, CommandHandlers } from './context';

/** The transfer queue. */
export function transferCommands(c: CommandContext) {
  const { transfers } = c;
  return {
    addTransfers: (requests) => transfers.add(requests),
    cancelTransfer: (id) => transfers.cancel(id),
    retryTransfer: (id) => transfers.retry(id),
    pauseTransfer: (id) => transfers.pause(id),
    resumeTransfer: (id) => transfers.resume(id),
    moveTransferToTop: (id) => transfers.moveToTop(id),
    clearFinished: () => transfers.clearFinished(),
    getTransfers: () => transfers.list(),
    answerFileExists: (answer) => transfers.answerFileExists(answer),
  } satisfies Partial<CommandHandlers>;
}
