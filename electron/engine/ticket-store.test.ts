import { describe, expect, it } from 'vitest';
import { TicketStore } from './ticket-store';

describe('TicketStore', () => {
  it('hands out the newest unused ticket, then the newest', () => {
    const store = new TicketStore();
    const a = Buffer.from('a');
    const b = Buffer.from('b');
    store.add(a);
    store.add(b);
    expect(store.take()).toBe(b);
    expect(store.take()).toBe(a);
    expect(store.take()).toBe(b);
  });

  it('gives up waiting after one miss: such a server sends no tickets at all', async () => {
    const store = new TicketStore();
    expect(await store.waitForTicket(20)).toBe(false);
    const started = Date.now();
    expect(await store.waitForTicket(5_000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(100);
    store.add(Buffer.from('late'));
    expect(await store.waitForTicket(5_000)).toBe(true);
  });

  it('wakes a waiter when a ticket arrives', async () => {
    const store = new TicketStore();
    const waiting = store.waitForTicket(5_000);
    setTimeout(() => store.add(Buffer.from('t')), 10);
    expect(await waiting).toBe(true);
    store.clear();
    expect(store.size).toBe(0);
  });

  it('keeps a bounded number of tickets', () => {
    const store = new TicketStore();
    for (let i = 0; i < 100; i++) store.add(Buffer.from(String(i)));
    expect(store.size).toBeLessThanOrEqual(16);
    expect(store.take()?.toString()).toBe('99');
  });
});
