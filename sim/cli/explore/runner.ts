/**
 * Runs the explorer's simulations off the server's thread: one worker for the page's runs, where
 * a new run cancels the one in flight (the worker is terminated and a fresh one started, so
 * a long run never delays the next), and a worker of its own for each save.
 */
import { Worker } from "node:worker_threads";
import type { Limits } from "../../experiment/estimate.js";

export interface WorkerTask {
  readonly id: number;
  readonly kind: "run" | "save";
  readonly sets: readonly string[];
  /** One replication (while a slider moves), else the scenario's count. */
  readonly quick: boolean;
}

export interface ChartOut {
  readonly name: string;
  readonly caption: string;
  readonly spec: unknown;
}

export type WorkerReply =
  | { readonly id: number; readonly ok: false; readonly message: string; readonly issues: readonly string[] }
  | {
      readonly id: number;
      readonly ok: true;
      readonly kind: "run";
      readonly json: string;
      readonly subtitle: string;
      readonly comparisonHtml: string;
      readonly sloHtml: string;
      readonly charts: readonly ChartOut[];
      readonly skipped: readonly string[];
    }
  | { readonly id: number; readonly ok: true; readonly kind: "save"; readonly hash: string; readonly name: string; readonly files: readonly (readonly [string, string])[] };

/** A run that a newer one replaced before it finished. */
export const SUPERSEDED = Symbol("superseded");

export class ExploreRunner {
  private worker: Worker;
  /** A worker started ahead, its modules loaded, to take over at once when a run is cancelled. */
  private spare: Worker;
  private nextId = 1;
  private pending: { id: number; resolve: (r: WorkerReply | typeof SUPERSEDED) => void; reject: (e: Error) => void } | undefined;
  private closed = false;
  private readonly savers = new Set<Worker>();

  constructor(
    private readonly file: string,
    private readonly limits: Limits,
  ) {
    this.worker = this.spawn();
    this.spare = this.spawn();
  }

  private spawn(): Worker {
    const w = new Worker(new URL("./worker.js", import.meta.url), { workerData: { file: this.file, limits: this.limits } });
    w.on("message", (reply: WorkerReply) => {
      if (w !== this.worker || this.pending?.id !== reply.id) return;
      const p = this.pending;
      this.pending = undefined;
      p.resolve(reply);
    });
    w.on("error", (e) => {
      if (w !== this.worker) return;
      const p = this.pending;
      this.pending = undefined;
      p?.reject(e);
      if (!this.closed) this.replace();
    });
    w.unref();
    return w;
  }

  /** Ends the current worker (a run in it is lost) and puts the spare in its place. */
  private replace(): void {
    void this.worker.terminate();
    this.worker = this.spare;
    this.spare = this.spawn();
  }

  /** Runs `sets`; a run still in flight is cancelled and resolves SUPERSEDED. */
  run(sets: readonly string[], quick: boolean): Promise<WorkerReply | typeof SUPERSEDED> {
    if (this.closed) return Promise.resolve(SUPERSEDED);
    if (this.pending) {
      const old = this.pending;
      this.pending = undefined;
      this.replace();
      old.resolve(SUPERSEDED);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject };
      this.worker.postMessage({ id, kind: "run", sets, quick } satisfies WorkerTask);
    });
  }

  /** The report files of `sets` at the scenario's replications, from a worker of its own. */
  save(sets: readonly string[]): Promise<WorkerReply> {
    const w = new Worker(new URL("./worker.js", import.meta.url), { workerData: { file: this.file, limits: this.limits } });
    this.savers.add(w);
    return new Promise<WorkerReply>((resolve, reject) => {
      w.once("message", resolve);
      w.once("error", reject);
      w.once("exit", () => reject(new Error("the save was stopped")));
      w.postMessage({ id: 0, kind: "save", sets, quick: false } satisfies WorkerTask);
    }).finally(() => {
      this.savers.delete(w);
      void w.terminate();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const p = this.pending;
    this.pending = undefined;
    p?.resolve(SUPERSEDED);
    await Promise.all([this.worker.terminate(), this.spare.terminate(), ...[...this.savers].map((w) => w.terminate())]);
  }
}
