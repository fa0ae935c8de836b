// A real backend (the app's main-process services) for service-level tests against the real
// servers of test/servers: trust prompts are answered "once", as a user accepting them would.
import type { TrustPrompt } from '../../shared/ipc';
import type { TransferItem } from '../../shared/transfers';
import { createBackend, type Backend } from '../../electron/services/backend';
import { connectFtps } from '../../electron/services/engine-client';
import { aesGcmCipher } from '../../electron/services/secrets/aes-cipher';

export function trustingBackend(dataDir: string): Backend {
  const backend: Backend = createBackend({
    dataDir,
    emit: (event, payload) => {
      if (event === 'trustPrompt') {
        const prompt = payload as TrustPrompt;
        void backend.dispatch('answerTrust', [prompt.promptId, 'once']);
      }
    },
    connectClient: connectFtps,
    runtime: 'bridge',
    version: '0.0.0',
    platform: process.platform,
    secretCipher: aesGcmCipher(),
  });
  return backend;
}

/** The queue's items once `count` of them exist and all have finished (or after ~`seconds`). */
export async function settledTransfers(
  backend: Backend,
  count: number,
  seconds = 20,
): Promise<TransferItem[]> {
  let items: TransferItem[] = [];
  for (let wait = 0; wait < seconds * 10; wait++) {
    const result = (await backend.dispatch('getTransfers', [])) as { value: TransferItem[] };
    items = result.value;
    const finished = items.every((item) => ['done', 'failed', 'cancelled'].includes(item.state));
    if (items.length >= count && finished) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return items;
}
