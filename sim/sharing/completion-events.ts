/**
 * CompletionEvents: keeps each finite flow's single pending completion event on the Simulation in step
 * with its remaining work and rate. Settling (bringing remaining and received up to now) must precede
 * any rate change; the event is then moved with reschedule, and only if its time actually changed.
 * It also keeps the flows with pending events in order of when they may be done (DueFlows).
 */
import type { Simulation } from "../engine/index.js";
import type { FlowTable } from "./flow-table.js";
import { DueFlows, doneFrom } from "./due-flows.js";
import type { FlowId, ResourceId, SharingStats } from "./types.js";

/** Remaining work at or below this fraction of max(1, initial work) counts as done (absorbs rounding). */
export const DONE_TOLERANCE = 1e-9;

export class CompletionEvents {
  /** The flows with a pending event, per resource in the order they may be done. */
  private readonly due: DueFlows;

  constructor(
    private readonly sim: Simulation,
    private readonly ft: FlowTable,
    private readonly kind: number,
    private readonly stats: SharingStats,
  ) {
    this.due = new DueFlows(ft);
  }

  /** Pushes into `out` the flows on resource r that may be done by now (candidates: check isDone, else refreshDue). */
  dueOn(r: ResourceId, out: number[]): void {
    this.due.dueOn(r, this.sim.now, out);
  }

  /** A candidate from dueOn that is not done: its place in the order is brought up to date. */
  refreshDue(f: FlowId): void {
    this.due.refresh(f, this.doneFrom(f));
  }

  /** When flow f, with a pending event, may count as done at the earliest (infinitely early at rate 0). */
  private doneFrom(f: FlowId): number {
    const ft = this.ft;
    return doneFrom(ft.eventTime[f]!, (DONE_TOLERANCE * Math.max(1, ft.work[f]!)) / ft.rate[f]!);
  }

  /** Remaining work of flow f as of now, at its current rate. */
  remainingNow(f: FlowId): number {
    const ft = this.ft;
    return ft.remaining[f]! - ft.rate[f]! * (this.sim.now - ft.settled[f]!);
  }

  /** True if `left` is within the done tolerance of flow f (never for demand flows: infinite work). */
  isDone(f: FlowId, left: number): boolean {
    const work = this.ft.work[f]!;
    return work < Infinity && left <= DONE_TOLERANCE * Math.max(1, work);
  }

  /** Brings remaining and received up to now at the current rate (call before the rate changes). */
  settle(f: FlowId): void {
    const ft = this.ft;
    const now = this.sim.now;
    const dt = now - ft.settled[f]!;
    if (dt === 0) return;
    const done = ft.rate[f]! * dt;
    ft.remaining[f] = ft.remaining[f]! - done;
    ft.received[f] = ft.received[f]! + done;
    ft.settled[f] = now;
  }

  /** Puts the event of a just-settled flow where its remaining work and rate say (none if never). */
  update(f: FlowId): void {
    const ft = this.ft;
    const sim = this.sim;
    const left = ft.remaining[f]!;
    const rate = ft.rate[f]!;
    let t = Infinity;
    if (this.isDone(f, left)) t = sim.now;
    else if (rate > 0) t = sim.now + left / rate; // Infinity for demand flows, or on overflow
    const h = ft.handle[f]!;
    if (t === Infinity) {
      this.drop(f);
      return;
    }
    if (h < 0) {
      ft.handle[f] = sim.at(t, this.kind, f);
      this.stats.eventsScheduled++;
    } else if (t !== ft.eventTime[f]) {
      sim.reschedule(h, t);
      this.stats.eventsRescheduled++;
    }
    ft.eventTime[f] = t;
    this.due.set(f, this.doneFrom(f));
  }

  /** Cancels the flow's pending event, if any. */
  drop(f: FlowId): void {
    const ft = this.ft;
    const h = ft.handle[f]!;
    if (h >= 0) {
      this.sim.cancel(h);
      this.stats.eventsCancelled++;
      this.due.delete(f);
    }
    ft.handle[f] = -1;
    ft.eventTime[f] = Infinity;
  }

  /** Called first by the completion handler: the engine consumes the firing event, so forget its handle. */
  fired(f: FlowId): void {
    this.ft.handle[f] = -1;
    this.ft.eventTime[f] = Infinity;
    this.due.delete(f);
  }
}
