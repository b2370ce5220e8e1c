/**
 * CompletionEvents: keeps each finite flow's single pending completion event in step with its remaining
 * work and rate. Settling (bringing remaining and received up to now) must precede any rate change; the
 * event is then moved, and only if its time actually changed. It also tells a completion whether any
 * neighbour can be done at the same instant (othersMayBeDone).
 * The events are grouped by the flow's FlowTable chunk owner (a host's disk or CPU: the resource it was
 * allocated near), one engine event per group (EventGroups): a recompute that moves a host's 30 boot
 * flows costs 30 moves in the host's small heap and one in the engine's heap of every pending event,
 * at sync(), which the owner calls before control returns to the engine. The order events fire in, and
 * the engine's sequence numbers, are exactly those of one engine event per flow.
 */
import type { Simulation } from "../engine/index.js";
import { EventGroups } from "./event-groups.js";
import type { FlowTable } from "./flow-table.js";
import { grown } from "./grow.js";
import type { FlowId, SharingStats } from "./types.js";

/** Remaining work at or below this fraction of max(1, initial work) counts as done (absorbs rounding). */
export const DONE_TOLERANCE = 1e-9;

/**
 * A flow with a pending event counts as done from a little before it: at most its window, twice the
 * done tolerance over its rate, plus TIME_SLACK of the event time (far above the few units in the last
 * place by which the event time and the remaining work computed from the same settle can disagree).
 * Windows above WIDE_WINDOW_S (a flow that would take over 500 s for all its work at its rate) are
 * counted per resource, so that a completion can tell from the next event's time alone that no
 * neighbour is done with it.
 */
const WIDE_WINDOW_S = 1e-6;
const TIME_SLACK = 1e-12;

export class CompletionEvents {
  /** Per flow: 1 while it has a pending event with a window above WIDE_WINDOW_S. */
  private wide = new Uint8Array(16);
  /** Per resource: its flows with wide[f] = 1. */
  private wideOn = new Int32Array(16);
  private readonly groups: EventGroups;

  /** `onFire(f)`: flow f's event fired (f already has none; call fired(f) first). */
  constructor(
    private readonly sim: Simulation,
    private readonly ft: FlowTable,
    onFire: (f: FlowId) => void,
    private readonly stats: SharingStats,
  ) {
    this.groups = new EventGroups(sim, onFire);
  }

  /** Re-keys the engine event of every group whose earliest flow changed; see the file header. */
  sync(): void {
    this.groups.sync();
    this.stats.groupRekeys = this.groups.stats.rescheduled;
  }

  /**
   * Whether a flow sharing a resource with `f` (whose event is firing) may be done now too. No, if no
   * flow on f's resources has a wide window and the next pending event they could have is more than
   * WIDE_WINDOW_S (and the slack) away: a neighbour done now would have its own event within its window
   * of now. That next event is the earliest in the groups of f's resources when none of them has a flow
   * from another's chunks (`foreign`, per resource: a host's CPU of demands and inits, while other hosts
   * finish at the same instants), else the earliest of all.
   */
  othersMayBeDone(f: FlowId, foreign: Int32Array): boolean {
    const ft = this.ft;
    const n = ft.nuses[f]!;
    let own = n > 0;
    let next = Infinity;
    for (let i = 0; i < n; i++) {
      const r = ft.useAt(f, i);
      if (this.wideOn[r]! > 0) return true;
      if (foreign[r]! > 0) own = false;
      // Group r + 1 is resource r's chunks (FlowTable.ownerOf).
      else if (own) next = Math.min(next, this.groups.topTime(r + 1));
    }
    if (!own) next = this.groups.peekTime();
    return next !== Infinity && !(next - TIME_SLACK * Math.abs(next) - this.sim.now > WIDE_WINDOW_S);
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

  /**
   * isDone(f, remaining[f]): the remaining work as last settled is within the tolerance. Spelled out
   * rather than calling isDone: it takes no float, so no call that V8 leaves un-inlined boxes one.
   */
  isSettledDone(f: FlowId): boolean {
    const work = this.ft.work[f]!;
    return work < Infinity && this.ft.remaining[f]! <= DONE_TOLERANCE * Math.max(1, work);
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
    // A demand flow (infinite work) never completes, so never has an event: nothing to move.
    if (ft.work[f] === Infinity) return;
    const sim = this.sim;
    const rate = ft.rate[f]!;
    let t = Infinity;
    if (this.isSettledDone(f)) t = sim.now;
    // A demand flow (infinite work) never completes: asked, its remaining could be NaN (Infinity less
    // an overflowed rate x time near the end of the double range). A finite flow's may overflow to Infinity.
    else if (rate > 0 && ft.work[f]! < Infinity) t = sim.now + ft.remaining[f]! / rate;
    if (t === Infinity) {
      this.drop(f);
      return;
    }
    // The groups read the time from eventTime (no float handed to a call that might not be inlined).
    if (!this.groups.has(f)) {
      ft.eventTime[f] = t;
      this.groups.scheduleFrom(f, ft.ownerOf(f), ft.eventTime);
      this.stats.eventsScheduled++;
    } else if (t !== ft.eventTime[f]) {
      ft.eventTime[f] = t;
      this.groups.rescheduleFrom(f, ft.eventTime);
      this.stats.eventsRescheduled++;
    }
    // Infinity at rate 0 (an event now, for a flow already within the tolerance).
    const window = (2 * DONE_TOLERANCE * Math.max(1, ft.work[f]!)) / rate;
    // The flow counts as done from half its window before t, give or take rounding far below the other half.
    ft.doneFrom[f] = t - window - TIME_SLACK * Math.abs(t);
    this.setWide(f, window > WIDE_WINDOW_S ? 1 : 0);
  }

  /** Sets flow f's wide flag, counting it on f's resources. */
  private setWide(f: FlowId, w: number): void {
    if (f >= this.wide.length) this.wide = grown(this.wide, f + 1);
    if (this.wide[f] === w) return;
    this.wide[f] = w;
    const ft = this.ft;
    const n = ft.nuses[f]!;
    for (let i = 0; i < n; i++) {
      const r = ft.useAt(f, i);
      if (r >= this.wideOn.length) this.wideOn = grown(this.wideOn, r + 1);
      this.wideOn[r] = this.wideOn[r]! + (w === 1 ? 1 : -1);
    }
  }

  /** Cancels the flow's pending event, if any. */
  drop(f: FlowId): void {
    const ft = this.ft;
    if (this.groups.cancel(f)) {
      this.stats.eventsCancelled++;
      this.setWide(f, 0);
    }
    ft.eventTime[f] = Infinity;
    ft.doneFrom[f] = Infinity;
  }

  /** Called first by the completion handler: the flow's event is gone (its group took it out to fire it). */
  fired(f: FlowId): void {
    this.ft.eventTime[f] = Infinity;
    this.ft.doneFrom[f] = Infinity;
    this.setWide(f, 0);
  }
}
