/** How actions report a failure: a toast, with advice where shared/error-advice has some. */
import type { ErrorContext } from '../../../shared/error-advice';
import { state } from '../app/store';
import { errorAdvice, errorText } from '../lib/api';

/** An error toast with a sentence, the next step and the raw detail behind "Details". */
export function toastError(error: unknown, context: ErrorContext = {}): void {
  const advice = errorAdvice(error, context);
  state().toast('error', advice.summary, {
    ...(advice.action ? { action: advice.action } : {}),
    ...(advice.detail !== advice.summary ? { detail: advice.detail } : {}),
  });
}

/** An error toast with the error's own text. */
export function toastFailure(error: unknown): void {
  state().toast('error', errorText(error));
}

export function toastInfo(text: string): void {
  state().toast('info', text);
}
