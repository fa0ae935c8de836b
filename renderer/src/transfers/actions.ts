/** Transfer queue actions: each calls a named command and reports a failure as a toast. */
import type { TransferRequest } from '../../../shared/ipc';
import type { FileExistsAnswer } from '../../../shared/transfers';
import { state } from '../app/store';
import { call, ferry } from '../lib/api';
import { toastFailure } from '../ui/toasts';

export async function addTransfers(requests: TransferRequest[]): Promise<void> {
  if (requests.length === 0) return;
  try {
    await call(ferry.addTransfers(requests));
  } catch (error) {
    toastFailure(error);
  }
}

export async function cancelTransfer(id: string): Promise<void> {
  await call(ferry.cancelTransfer(id)).catch(toastFailure);
}

export async function retryTransfer(id: string): Promise<void> {
  await call(ferry.retryTransfer(id)).catch(toastFailure);
}

export async function pauseTransfer(id: string): Promise<void> {
  await call(ferry.pauseTransfer(id)).catch(toastFailure);
}

export async function resumeTransfer(id: string): Promise<void> {
  await call(ferry.resumeTransfer(id)).catch(toastFailure);
}

export async function moveTransferToTop(id: string): Promise<void> {
  await call(ferry.moveTransferToTop(id)).catch(toastFailure);
}

export async function clearFinished(): Promise<void> {
  await call(ferry.clearFinished()).catch(toastFailure);
}

export async function answerFileExists(answer: FileExistsAnswer): Promise<void> {
  state().shiftFileExists(answer.questionId);
  try {
    await call(ferry.answerFileExists(answer));
  } catch (error) {
    toastFailure(error);
  }
}

/** Transfers that ending the session would stop (running or waiting their turn). */
export function unfinishedTransfers(): number {
  return Object.values(state().transfers).filter(
    (t) => t.state !== 'done' && t.state !== 'failed' && t.state !== 'cancelled',
  ).length;
}
