/** Trust answers and the pinned certificates (list, inspect, forget). */
import type { TrustDecision } from '../../../shared/models';
import type { PinSummary } from '../../../shared/sites';
import { state } from '../app/store';
import { call, ferry } from '../lib/api';
import { toastFailure } from '../ui/toasts';
import { pinnedCertificateReport } from './pinned-report';

export async function answerTrust(promptId: string, decision: TrustDecision): Promise<void> {
  state().shiftTrustPrompt(promptId);
  try {
    await call(ferry.answerTrust(promptId, decision));
  } catch (error) {
    toastFailure(error);
  }
}

export async function loadPins(): Promise<void> {
  try {
    state().setPins(await call(ferry.listPins()));
  } catch (error) {
    toastFailure(error);
  }
}

export async function removePin(pin: PinSummary): Promise<void> {
  const ok = await state().askConfirm({
    title: `Forget the certificate of ${pin.host}:${pin.port}?`,
    message: 'Ferry will ask again whether to trust this server the next time you connect to it.',
    confirmLabel: 'Remove',
    danger: true,
  });
  if (!ok) return;
  try {
    state().setPins(await call(ferry.removePin(pin.host, pin.port)));
  } catch (error) {
    toastFailure(error);
  }
}

export async function inspectPin(pin: PinSummary): Promise<void> {
  try {
    const pinned = await call(ferry.getPinnedCertificate(pin.host, pin.port));
    state().setInspect(pinnedCertificateReport(pinned));
  } catch (error) {
    toastFailure(error);
  }
}

export function closeInspect(): void {
  state().setInspect(undefined);
}

/** The session's certificate (Ctrl+I, the menu, the status bar), when there is one. */
export function showSessionCertificate(): void {
  if (state().session.report) state().setCertificateOpen(true);
}
