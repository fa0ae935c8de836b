import { describe, expect, it } from 'vitest';
import { emitUiEvent, onUiEvent } from './events';

describe('ui events', () => {
  it('reaches each listener until it unsubscribes', () => {
    const seen: string[] = [];
    const off = onUiEvent('prefillConnect', ({ connection, focus }) =>
      seen.push(`${connection.host}:${focus}`),
    );
    const connection = { host: 'h', port: 21, mode: 'explicit' as const, user: 'u', lastUsed: '' };
    emitUiEvent('prefillConnect', { connection, focus: true });
    off();
    emitUiEvent('prefillConnect', { connection, focus: false });
    expect(seen).toEqual(['h:true']);
  });
});
