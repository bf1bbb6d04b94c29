// Interrupts (Ctrl-C, SIGTERM, the reader of velocity's output going away) as an AbortSignal that a running binary
// follows: every interrupt reaches every listener once, in order, so runBinary forwards each one to its child exactly
// once. Guarantees: the signal aborts on the first interrupt; `idle()` settles only when no tracked child is running.

/** What interrupted velocity: a signal it received, or EPIPE on its own stdout/stderr (the pipe's reader exited). */
export type InterruptCause = 'SIGINT' | 'SIGTERM' | 'EPIPE';

/** Listener for interrupts after the one that aborted the signal (a second Ctrl-C means "stop now" to terraform). */
export type InterruptListener = (cause: InterruptCause) => void;

const sources = new WeakMap<AbortSignal, InterruptSource>();

/**
 * The process-wide interrupt channel. The CLI creates one and feeds it process signals; engine code only sees its
 * `signal` (a plain AbortSignal) and runBinary recognizes it with `InterruptSource.of` to forward instead of kill.
 */
export class InterruptSource {
  private readonly controller = new AbortController();
  private readonly listeners = new Set<InterruptListener>();
  private readonly running = new Set<Promise<unknown>>();
  /** Every interrupt so far, oldest first. */
  readonly received: InterruptCause[] = [];

  constructor() {
    sources.set(this.controller.signal, this);
  }

  /** Aborted (reason: this source) at the first interrupt. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The source behind `signal`, or undefined for an ordinary AbortSignal. O(1). */
  static of(signal: AbortSignal | undefined): InterruptSource | undefined {
    return signal === undefined ? undefined : sources.get(signal);
  }

  /** The conventional exit status after `cause`: 128 + the signal's number (SIGINT 130, SIGTERM 143, SIGPIPE 141). */
  static exitCode(cause: InterruptCause): number {
    return cause === 'SIGINT' ? 130 : cause === 'SIGTERM' ? 143 : 141;
  }

  /** Records an interrupt, aborts the signal the first time, then tells every listener. O(listeners). */
  interrupt(cause: InterruptCause): void {
    this.received.push(cause);
    if (!this.controller.signal.aborted) this.controller.abort(this);
    for (const listener of [...this.listeners]) listener(cause);
  }

  /** Calls `listener` for each later interrupt until the returned function is called. */
  onInterrupt(listener: InterruptListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Remembers a running child (its settle promise) until it settles, for `idle()` and `busy`. */
  track(settled: Promise<unknown>): void {
    const p = settled.then(() => undefined, () => undefined).finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** A tracked child is still running. */
  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Settles once every tracked child has exited (children started meanwhile are waited for too). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
