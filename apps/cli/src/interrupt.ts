/**
 * Ctrl+C as data: while a command holds one of these, SIGINT does not kill the process; the
 * command sees `interrupted` at its next safe point (after a write completed, between polls).
 */
export class InterruptWatch {
  private interruptedFlag = false;
  private wake: (() => void) | undefined;
  private readonly abort = new AbortController();
  private readonly onSignal = () => {
    this.interruptedFlag = true;
    this.abort.abort();
    this.wake?.();
  };

  constructor() {
    process.on('SIGINT', this.onSignal);
  }

  get interrupted(): boolean {
    return this.interruptedFlag;
  }

  /** Aborted at Ctrl+C: for APIs that take a signal (the client's follow and stop). */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Sleeps `ms`, or less when Ctrl+C comes. */
  pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  dispose(): void {
    process.off('SIGINT', this.onSignal);
  }
}
