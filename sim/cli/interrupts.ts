/**
 * SIGINT and SIGTERM while densim writes files: noted rather than fatal, so the writer can remove
 * its temporary files or finish a commit, then exit 130 or 143 as a shell would report the signal.
 */

/** The run was interrupted by a signal; `committed` tells whether the new report is in place. */
export class InterruptedError extends Error {
  constructor(
    readonly signal: "SIGINT" | "SIGTERM",
    readonly dir: string,
    readonly committed: boolean,
  ) {
    super(`interrupted (${signal}); ${committed ? `the report in ${dir} is complete` : `${dir} was left as it was`}`);
  }
}

/** Exit code for a run ended by `signal`: 128 + its number, as shells report it. */
export const signalExitCode = (signal: "SIGINT" | "SIGTERM"): number => (signal === "SIGINT" ? 130 : 143);

/**
 * Listens for SIGINT and SIGTERM from construction to stop(); outside that span, signals keep
 * Node's default (so a long simulation still stops at once on Ctrl-C).
 */
export class SignalWatch {
  private signal: "SIGINT" | "SIGTERM" | undefined;
  private wake: (() => void) | undefined;
  private readonly onSignal = (s: NodeJS.Signals): void => {
    this.signal ??= s === "SIGTERM" ? "SIGTERM" : "SIGINT";
    this.wake?.();
  };

  constructor() {
    process.on("SIGINT", this.onSignal);
    process.on("SIGTERM", this.onSignal);
  }

  check(dir: string, committed: boolean): void {
    if (this.signal !== undefined) throw new InterruptedError(this.signal, dir, committed);
  }

  /** Waits `ms`, or less if a signal comes. */
  async pause(ms: number, label?: string): Promise<void> {
    if (ms <= 0 || this.signal !== undefined) return;
    if (label !== undefined) process.stderr.write(`densim: test pause ${label}\n`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
    this.wake = undefined;
  }

  /**
   * Lets the event loop poll once, so that a signal that came during synchronous work is handled:
   * the first immediate may run before this turn's poll, the second runs after the next one.
   */
  async settle(): Promise<void> {
    for (let k = 0; k < 2; k++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  stop(): void {
    process.off("SIGINT", this.onSignal);
    process.off("SIGTERM", this.onSignal);
  }
}
