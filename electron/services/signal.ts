/** An event without a payload: each `fire()` runs the listeners, in the order they were added. */
export class Signal {
  private readonly listeners = new Set<() => void>();

  /** Adds a listener; returns the function that removes it. */
  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  fire(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
