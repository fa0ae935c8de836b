import type { PinnedCertificate, PinStore } from './types';

/** Pins held in memory: for the CLI's `--pin` and for tests; the app persists its own. */
export function memoryPinStore(
  initial: PinnedCertificate[] = [],
): PinStore & { all(): PinnedCertificate[] } {
  const pins = new Map<string, PinnedCertificate>();
  const key = (host: string, port: number): string => `${host.toLowerCase()}:${port}`;
  for (const pin of initial) pins.set(key(pin.host, pin.port), pin);
  return {
    get: (host, port) => Promise.resolve(pins.get(key(host, port))),
    set: (pin) => {
      pins.set(key(pin.host, pin.port), pin);
      return Promise.resolve();
    },
    all: () => [...pins.values()],
  };
}
