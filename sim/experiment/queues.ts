import type { App } from "../model/index.js";
/**
 * When requests go: jobs wait first come first served for room; a service's rollout waves wait
 * for the previous wave to be ready or rejected.
 */

/** What waves need to know of the service requests: how many, and each one's app and replica. */
export interface WaveRequests {
  readonly count: number;
  appOf(i: number): App;
  replicaOf(i: number): number;
}

/** Jobs waiting for room, first come first served (a waiting head blocks those behind it). */
export class JobQueue {
  private items: number[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  push(i: number): void {
    this.items.push(i);
  }
  peek(): number {
    return this.items[this.head] as number;
  }
  shift(): number {
    const i = this.items[this.head++] as number;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return i;
  }
}

/**
 * Which requests go when: apps without a rollout request every replica from their start; with
 * `rollout: { batch }`, a wave of `batch` replicas waits until the previous wave is ready or rejected.
 */
export class Waves {
  private readonly remaining = new Map<string, number>();
  private readonly waveOf: Int32Array;
  private readonly members = new Map<string, number[]>();

  constructor(private readonly reqs: WaveRequests) {
    // Only the services present at construction have waves; jobs arrive on their own.
    this.waveOf = new Int32Array(reqs.count);
    // A wave's requests are consecutive (replicas in order): its key and list are looked up once per run of them.
    let app: App | undefined;
    let wave = -1;
    let list: number[] = [];
    for (let i = 0; i < reqs.count; i++) {
      const a = reqs.appOf(i);
      const w = a.rollout ? Math.floor(reqs.replicaOf(i) / a.rollout.batch) : 0;
      this.waveOf[i] = w;
      if (a !== app || w !== wave) {
        app = a;
        wave = w;
        const key = `${a.name}\u0000${w}`;
        list = this.members.get(key) ?? [];
        if (list.length === 0) this.members.set(key, list);
      }
      list.push(i);
    }
    for (const [key, members] of this.members) this.remaining.set(key, members.length);
  }

  /** Wave 0 of every app, with the app's start time. */
  initial(): { readonly indices: readonly number[]; readonly atS: number }[] {
    const out: { indices: number[]; atS: number }[] = [];
    for (const [key, indices] of this.members) {
      if (!key.endsWith("\u00000")) continue;
      out.push({ indices, atS: this.reqs.appOf(indices[0] as number).startAtS });
    }
    return out;
  }

  /** Marks request i ready or rejected; returns the app's next wave when this one is complete. */
  settled(i: number): { readonly indices: readonly number[]; readonly pauseS: number } | undefined {
    if (i >= this.waveOf.length) return undefined;
    const app = this.reqs.appOf(i);
    if (!app.rollout) return undefined;
    const wave = this.waveOf[i] as number;
    const key = `${app.name}\u0000${wave}`;
    const left = (this.remaining.get(key) as number) - 1;
    this.remaining.set(key, left);
    if (left > 0) return undefined;
    const next = this.members.get(`${app.name}\u0000${wave + 1}`);
    return next ? { indices: next, pauseS: app.rollout.pauseS } : undefined;
  }
}
