/**
 * The plain data of fluid sharing: integer ids, a flow's description, and the engine's counters.
 * Capacities and rates are in units per second (cores, bytes/s); work is in units x seconds.
 */

/** Index of a resource, dense from 0 in creation order; resources are never removed. */
export type ResourceId = number;

/** Index of a flow; ids of finished or cancelled flows are reused by later flows. */
export type FlowId = number;

/** One resource a flow consumes: progressing at rate r uses r * coef of it (coef defaults to 1). */
export interface Use {
  readonly resource: ResourceId;
  readonly coef?: number;
}

/** Called once, at the simulated time the flow's work is done. */
export type OnDone = (flow: FlowId) => void;

export interface FlowSpec {
  /** Work to do (>= 0); Infinity for a steady demand flow that never completes. */
  readonly work: number;
  /** Resources consumed simultaneously; the flow's rate is limited by its bottleneck. May be empty if `cap` is finite. */
  readonly uses: readonly Use[];
  /** Share of contended resources relative to other flows (> 0, default 1). */
  readonly weight?: number;
  /** Highest rate the flow can use (>= 0, default Infinity): vCPUs, a quota, a stream ceiling, a demand. */
  readonly cap?: number;
  readonly onDone?: OnDone;
}

/** Cumulative counters, for benchmarks and for tests that check a change stayed local. */
export interface SharingStats {
  /** Connected components whose rates were recomputed. */
  recomputes: number;
  /** Flows visited by those recomputes (sum of component sizes; for capsNoted and roomyNoted ones, the flows noted as changed). */
  flowsVisited: number;
  eventsScheduled: number;
  eventsRescheduled: number;
  eventsCancelled: number;
  /**
   * Engine reschedules of completion groups' events (see CompletionEvents): what the engine's heap paid
   * for the flows' (not hubs') eventsRescheduled, one per group whose earliest flow changed, not per flow.
   */
  groupRekeys: number;
  completions: number;
  /** Flows completions read looking for others done at the same instant (none when no other event is close; see CompletionEvents.othersMayBeDone). */
  dueRead: number;
  /** Recomputes (counted in `recomputes`) of a lone resource whose flows all got their caps, done without water-filling. */
  capsOnly: number;
  /** capsOnly recomputes (counted in `capsOnly`) checked from the noted cap changes alone, visiting only those flows. */
  capsNoted: number;
  /**
   * Recomputes (counted in `recomputes`) of a roomy resource: shared with other resources' flows, but its
   * flows' caps fit under its capacity, so it cannot bind and does not join their components.
   */
  roomy: number;
  /** roomy recomputes (counted in `roomy`) that visited only the noted flows, the others being at their caps already. */
  roomyNoted: number;
  /** Components turned into hubs (one level and one completion event for all their flows; see hub.ts). */
  hubsFormed: number;
  /** Hubs (counted in `hubsFormed`) summed afresh at every change: caps, fractional coefs or roomy resources hanging off them. */
  hubsResummed: number;
}

/** Counters all at zero. */
export function zeroStats(): SharingStats {
  return {
    recomputes: 0,
    flowsVisited: 0,
    eventsScheduled: 0,
    eventsRescheduled: 0,
    eventsCancelled: 0,
    groupRekeys: 0,
    completions: 0,
    dueRead: 0,
    capsOnly: 0,
    capsNoted: 0,
    roomy: 0,
    roomyNoted: 0,
    hubsFormed: 0,
    hubsResummed: 0,
  };
}
