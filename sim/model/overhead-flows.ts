/**
 * The CPU overhead flows of a run (idle guests, engine daemons), in start order as columns: a
 * sample reads every rate in one bulk call, not one call per flow (a million VMs are a million idle
 * guests). Stopped entries are dropped, order kept, once they are half of all.
 */
import { grown } from "../sharing/grow.js";
import type { FlowId, FluidSharing } from "../sharing/index.js";

/** One overhead flow; `at` is its row in the columns (moved when stopped rows are dropped). */
export interface OverheadHandle {
  at: number;
}

export class OverheadFlows {
  /** Flow (-1 once stopped) and host of each row. */
  private flow: Int32Array = new Int32Array(64);
  private host: Int32Array = new Int32Array(64);
  private owners: OverheadHandle[] = [];
  private stopped = 0;
  private rates = new Float64Array(0);

  get count(): number {
    return this.owners.length;
  }

  add(flow: FlowId, host: number): OverheadHandle {
    const at = this.owners.length;
    if (at === this.flow.length) {
      this.flow = grown(this.flow, at + 1);
      this.host = grown(this.host, at + 1);
    }
    this.flow[at] = flow;
    this.host[at] = host;
    const handle = { at };
    this.owners.push(handle);
    return handle;
  }

  /** The flow of `h` (-1 once stopped). */
  flowOf(h: OverheadHandle): FlowId {
    return this.flow[h.at]!;
  }

  /** Marks `h` stopped (its flow cancelled by the caller). */
  stop(h: OverheadHandle): void {
    this.flow[h.at] = -1;
    if (++this.stopped > 64 && this.stopped * 2 > this.owners.length) this.compact();
  }

  /** Sum of received() over the flows still running. */
  received(sharing: FluidSharing): number {
    let total = 0;
    for (let i = 0; i < this.owners.length; i++) if (this.flow[i]! >= 0) total += sharing.received(this.flow[i]!);
    return total;
  }

  /** Adds each running flow's rate to `out[host * width + column]`, in row order. */
  addRates(sharing: FluidSharing, out: Float64Array, width: number, column: number): void {
    const n = this.owners.length;
    if (this.rates.length < n) this.rates = new Float64Array(this.flow.length);
    const { flow, host, rates } = this;
    sharing.ratesInto(flow, n, rates);
    for (let i = 0; i < n; i++) {
      if (flow[i]! < 0) continue;
      const k = host[i]! * width + column;
      out[k] = out[k]! + rates[i]!;
    }
  }

  private compact(): void {
    let w = 0;
    for (let i = 0; i < this.owners.length; i++) {
      if (this.flow[i]! < 0) continue;
      const o = this.owners[i]!;
      o.at = w;
      this.flow[w] = this.flow[i]!;
      this.host[w] = this.host[i]!;
      this.owners[w++] = o;
    }
    this.owners.length = w;
    this.stopped = 0;
  }
}
