/**
 * Host failures of one run: when each host goes down and comes back (scheduled events and each
 * host type's failure process), and the account of what the outages cost the instances: downtime,
 * instances lost, and per failure the time until every instance it took down was ready again.
 */
import { sample, type RngStreams } from "../engine/index.js";
import type { Workload } from "./resolve.js";

/** One host out of service from `atS` until `backS` (Infinity: not within the horizon). */
export interface Outage {
  readonly host: number;
  readonly atS: number;
  readonly backS: number;
}

/**
 * Every outage within the horizon, by time then host: the scheduled events and each host's failure
 * process. A host's draws come from its own streams (`failures/<host>`, `repair/<host>`), which depend
 * on the seed, the replication and the host's name only: every mode sees the same failures (common
 * random numbers). Outages of one host that overlap are merged: a host that is down cannot fail again.
 */
export function outagesOf(w: Pick<Workload, "hostTypes" | "hostNames" | "events">, streams: RngStreams, horizonS: number): Outage[] {
  const raw: Outage[] = [];
  let host = 0;
  for (const t of w.hostTypes) {
    for (let k = 0; k < t.count; k++, host++) {
      const f = t.failures;
      if (!f) continue;
      const name = w.hostNames[host] as string;
      const repairRng = streams.get(`repair/${name}`);
      const repairS = (): number => (f.repair === undefined ? Infinity : sample(f.repair, repairRng));
      if (f.timesS) {
        for (const at of [...f.timesS].sort((a, b) => a - b)) if (at <= horizonS) raw.push({ host, atS: at, backS: at + repairS() });
        continue;
      }
      const mtbf = f.mtbfS as number;
      const rng = streams.get(`failures/${name}`);
      // Exponential times to failure, each counted from the previous repair: the host only fails while up.
      for (let t0 = 0; ; ) {
        const at = t0 + -Math.log(1 - rng.next()) * mtbf;
        if (!(at <= horizonS)) break;
        const back = at + repairS();
        raw.push({ host, atS: at, backS: back });
        t0 = back;
      }
    }
  }
  for (const e of w.events) {
    const t = typeOf(w, e.host);
    const repair = e.repairS ?? (t?.failures?.repair === undefined ? Infinity : sample(t.failures.repair, streams.get(`repair/${w.hostNames[e.host]}`)));
    if (e.atS <= horizonS) raw.push({ host: e.host, atS: e.atS, backS: e.atS + repair });
  }
  return mergeOverlaps(raw);
}

function typeOf(w: Pick<Workload, "hostTypes">, host: number): Workload["hostTypes"][number] | undefined {
  let first = 0;
  for (const t of w.hostTypes) {
    if (host < first + t.count) return t;
    first += t.count;
  }
  return undefined;
}

/** Sorted by time then host; per host, an outage that starts before the previous one ends extends it. */
export function mergeOverlaps(outages: readonly Outage[]): Outage[] {
  const sorted = [...outages].sort((a, b) => a.atS - b.atS || a.host - b.host || a.backS - b.backS);
  const open = new Map<number, { host: number; atS: number; backS: number }>();
  const out: { host: number; atS: number; backS: number }[] = [];
  for (const o of sorted) {
    const cur = open.get(o.host);
    if (cur && o.atS <= cur.backS) {
      cur.backS = Math.max(cur.backS, o.backS);
      continue;
    }
    const next = { ...o };
    open.set(o.host, next);
    out.push(next);
  }
  return out;
}

/**
 * What outages cost the service instances of a run. An instance is down from the moment its host
 * fails until it is ready again elsewhere (or the horizon); start-up before its first ready and
 * rejected replicas are not downtime here (startup.*, instances.rejected count them).
 */
export class FailureAccount {
  /** Per instance: when it went down (NaN while up), the event that took it down, seconds down so far. */
  private readonly downSince: number[] = [];
  private readonly downEvent: number[] = [];
  private readonly downS: number[] = [];
  /** Per failure event: instances it took down, how many are still down, when the last came back. */
  private readonly events: { readonly atS: number; lost: number; open: number; lastUpS: number }[] = [];
  instancesLost = 0;

  /** A host failed now: a new event; returns its number for `down`. */
  failure(now: number): number {
    this.events.push({ atS: now, lost: 0, open: 0, lastUpS: now });
    return this.events.length - 1;
  }

  /** Instance `i` (a service that had been ready) went down with event `event`. */
  down(i: number, event: number, now: number): void {
    if (!Number.isNaN(this.downSince[i] ?? NaN)) return;
    this.downSince[i] = now;
    this.downEvent[i] = event;
    const e = this.events[event]!;
    e.lost++;
    e.open++;
    this.instancesLost++;
  }

  /** Instance `i` is ready again. */
  up(i: number, now: number): void {
    const since = this.downSince[i] ?? NaN;
    if (Number.isNaN(since)) return;
    this.downS[i] = (this.downS[i] ?? 0) + (now - since);
    this.downSince[i] = NaN;
    const e = this.events[this.downEvent[i]!]!;
    e.open--;
    e.lastUpS = Math.max(e.lastUpS, now);
  }

  /** Seconds instance `i` was down, to `horizonS`. */
  downtime(i: number, horizonS: number): number {
    const since = this.downSince[i] ?? NaN;
    return (this.downS[i] ?? 0) + (Number.isNaN(since) ? 0 : horizonS - since);
  }

  /** Instances still down now. */
  get notRecovered(): number {
    return this.events.reduce((n, e) => n + e.open, 0);
  }

  get failures(): number {
    return this.events.length;
  }

  /** Per failure that took instances down and all of them came back: seconds from the failure until the last was ready, ascending. */
  recoveryTimes(): number[] {
    return this.events
      .filter((e) => e.lost > 0 && e.open === 0)
      .map((e) => e.lastUpS - e.atS)
      .sort((a, b) => a - b);
  }
}

/** Buckets a step series keeps at most four points of (first, lowest, highest, last). */
const STEP_BUCKETS = 400;

/**
 * A step series thinned to at most 4 x STEP_BUCKETS points: per bucket of time, its first, lowest,
 * highest and last points in time order, so a dip (a failure) survives however short it is.
 */
export function thinSteps(points: readonly (readonly [number, number])[], horizonS: number): [number, number][] {
  if (points.length <= 4 * STEP_BUCKETS) return points.map(([t, n]) => [t, n]);
  const width = horizonS / STEP_BUCKETS;
  const out: [number, number][] = [];
  let k = 0;
  while (k < points.length) {
    const bucket = Math.min(STEP_BUCKETS - 1, Math.floor(points[k]![0] / width));
    let end = k;
    while (end + 1 < points.length && Math.min(STEP_BUCKETS - 1, Math.floor(points[end + 1]![0] / width)) === bucket) end++;
    let lo = k;
    let hi = k;
    for (let j = k; j <= end; j++) {
      if (points[j]![1] < points[lo]![1]) lo = j;
      if (points[j]![1] > points[hi]![1]) hi = j;
    }
    for (const j of [...new Set([k, lo, hi, end])].sort((a, b) => a - b)) out.push([points[j]![0], points[j]![1]]);
    k = end + 1;
  }
  return out;
}
