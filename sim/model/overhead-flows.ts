/**
 * The CPU overhead flows of a run (idle guests, engine daemons), in start order as columns: a
 * sample reads every rate in one bulk call, not one call per flow (a million VMs are a million idle
 * guests). Stopped entries are dropped, order kept, once they are half of all. Each host's
 * flows are listed too, in row order, so one host's rates can be summed alone, reading only that
 * host's flows (which sit together in FlowTable's per-host chunks).
 */
import { grown } from "../sharing/grow.js";
import type { FlowId, FluidSharing } from "../sharing/index.js";
import { removeAt } from "./remove-at.js";

/** One overhead flow, a number that stays valid while rows move (it is reused once stopped). */
export type OverheadHandle = number;

export class OverheadFlows {
  /** Flow (-1 once stopped), host and handle of each row. */
  private flow: Int32Array = new Int32Array(64);
  private host: Int32Array = new Int32Array(64);
  private handleAt: Int32Array = new Int32Array(64);
  private rows = 0;
  /** Handle -> its row (-1 once stopped); stopped handles are handed out again. */
  private rowOf: Int32Array = new Int32Array(64);
  private handles = 0;
  private readonly freeHandles: number[] = [];
  /** Per host: the flows of its running handles, in row order. */
  private readonly byHost: number[][] = [];
  private stopped = 0;
  private rates = new Float64Array(0);

  get count(): number {
    return this.rows;
  }

  add(flow: FlowId, host: number): OverheadHandle {
    const at = this.rows++;
    if (at === this.flow.length) {
      this.flow = grown(this.flow, at + 1);
      this.host = grown(this.host, at + 1);
      this.handleAt = grown(this.handleAt, at + 1);
    }
    let h = this.freeHandles.pop();
    if (h === undefined) {
      h = this.handles++;
      if (h === this.rowOf.length) this.rowOf = grown(this.rowOf, h + 1);
    }
    this.flow[at] = flow;
    this.host[at] = host;
    this.handleAt[at] = h;
    this.rowOf[h] = at;
    while (this.byHost.length <= host) this.byHost.push([]);
    (this.byHost[host] as number[]).push(flow);
    return h;
  }

  /** The flow of `h` (-1 once stopped). */
  flowOf(h: OverheadHandle): FlowId {
    const at = this.rowOf[h]!;
    return at < 0 ? -1 : this.flow[at]!;
  }

  /** Marks `h` stopped (its flow cancelled by the caller); the handle may be handed out again. */
  stop(h: OverheadHandle): void {
    const at = this.rowOf[h]!;
    const mine = this.byHost[this.host[at]!] as number[];
    removeAt(mine, mine.indexOf(this.flow[at]!));
    this.flow[at] = -1;
    this.rowOf[h] = -1;
    this.freeHandles.push(h);
    if (++this.stopped > 64 && this.stopped * 2 > this.rows) this.compact();
  }

  /** Sum of received() over the flows still running. */
  received(sharing: FluidSharing): number {
    let total = 0;
    for (let i = 0; i < this.rows; i++) if (this.flow[i]! >= 0) total += sharing.received(this.flow[i]!);
    return total;
  }

  /** Adds each running flow's rate to `out[host * width + column]`, in row order. */
  addRates(sharing: FluidSharing, out: Float64Array, width: number, column: number): void {
    const n = this.rows;
    if (this.rates.length < n) this.rates = new Float64Array(this.flow.length);
    const { flow, host, rates } = this;
    sharing.ratesInto(flow, n, rates);
    for (let i = 0; i < n; i++) {
      if (flow[i]! < 0) continue;
      const k = host[i]! * width + column;
      out[k] = out[k]! + rates[i]!;
    }
  }

  /** Adds the rates of host `host`'s running flows to `out[at]`, in row order (as addRates sums them). */
  addHostRates(sharing: FluidSharing, host: number, out: Float64Array, at: number): void {
    const mine = this.byHost[host];
    if (mine === undefined) return;
    sharing.addRatesTo(mine, out, at);
  }

  private compact(): void {
    let w = 0;
    for (let i = 0; i < this.rows; i++) {
      if (this.flow[i]! < 0) continue;
      const h = this.handleAt[i]!;
      this.rowOf[h] = w;
      this.flow[w] = this.flow[i]!;
      this.host[w] = this.host[i]!;
      this.handleAt[w++] = h;
    }
    this.rows = w;
    this.stopped = 0;
  }
}
