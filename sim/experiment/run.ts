/**
 * One replication of one mode: every requested instance goes through the scheduler in request
 * order (largest first for ffd/bfd), a placed instance becomes ready after its mode's start
 * latency drawn from its own stream, and the run's metrics are read off the hosts at the end.
 */
import { quantileSorted } from "simple-statistics";
import { deriveSeed, RngStreams, Simulation } from "../engine/index.js";
import { footprint, Host, StartupModel, STARTUP_PHASES, type App, type Footprint, type Mode } from "../model/index.js";
import { FluidSharing } from "../sharing/index.js";
import { chooseHost, sortsLargestFirst, type PlacementPolicy } from "../placement/index.js";
import type { Workload } from "./resolve.js";
import { METRICS, type MetricName, type Rejection, type RunResult } from "./results.js";

export interface RunConfig {
  readonly seed: number;
  readonly horizonS: number;
  readonly policy: PlacementPolicy;
}

/** Per-instance outcome of a run, in request order (for CSV and trace output). */
export interface InstanceRecord {
  readonly app: string;
  readonly replica: number;
  readonly host: string | undefined;
  /** NaN when never requested within the horizon (a later rollout wave). */
  readonly requestedAt: number;
  /** NaN when not ready within the horizon or rejected. */
  readonly readyAt: number;
  readonly reason: string | undefined;
  /** Seconds in each phase of STARTUP_PHASES. */
  readonly phases: readonly number[];
}

export interface RunOutput extends RunResult {
  readonly instances: readonly InstanceRecord[];
  /** Engine events the run processed (for benchmarks). */
  readonly eventsProcessed: number;
}

/** Observes a run's lifecycle events (`densim trace`): instance -1 for host-level events. */
export type RunListener = (time: number, instance: number, event: string, detail: string) => void;

interface Request {
  readonly app: App;
  readonly replica: number;
  readonly footprint: Footprint;
}

export function buildHosts(w: Workload, mode: Mode): Host[] {
  const hosts: Host[] = [];
  for (const t of w.hostTypes) for (let i = 0; i < t.count; i++) hosts.push(new Host(hosts.length, `${t.type}-${i + 1}`, t, mode));
  return hosts;
}

function requests(w: Workload, mode: Mode): Request[] {
  const out: Request[] = [];
  for (const app of w.apps) {
    const fp = footprint(app, mode);
    for (let r = 0; r < app.replicas; r++) out.push({ app, replica: r, footprint: fp });
  }
  return out;
}

/** ffd and bfd take the largest first among requests made at the same time: memory, then CPU. */
const largestFirst = (a: Request, b: Request): number =>
  b.footprint.memoryCommitBytes - a.footprint.memoryCommitBytes || b.footprint.cpuCommitCores - a.footprint.cpuCommitCores;

export function runOnce(w: Workload, mode: Mode, config: RunConfig, replication: number, listener?: RunListener): RunOutput {
  const hosts = buildHosts(w, mode);
  const reqs = requests(w, mode);
  const n = reqs.length;
  const streams = new RngStreams(config.seed, replication);
  const placedOn: (Host | undefined)[] = new Array(n).fill(undefined);
  const reasons: (string | undefined)[] = new Array(n).fill(undefined);
  const requestedAt = new Float64Array(n).fill(NaN);
  const readyAt = new Float64Array(n).fill(NaN);
  /** Instance index -> StartupModel index (start-up order), -1 if never started. */
  const startIndex = new Int32Array(n).fill(-1);

  const sim = new Simulation(Math.max(16, n));
  const sharing = new FluidSharing(sim);
  const waves = new Waves(reqs);
  const REQUEST = sim.register((i) => request(i));
  const started: number[] = [];
  const startup = new StartupModel(
    sim,
    sharing,
    streams,
    mode,
    hosts,
    w.apps,
    w.registry,
    (k) => {
      const i = started[k] as number;
      readyAt[i] = sim.now;
      settle(i);
    },
    listener ? (t, k, event, detail) => listener(t, k < 0 ? -1 : (started[k] as number), event, detail) : undefined,
  );

  function request(i: number): void {
    const req = reqs[i] as Request;
    requestedAt[i] = sim.now;
    const decision = chooseHost(hosts, req, config.policy);
    if (decision.host) {
      decision.host.commit(req.app, req.footprint);
      placedOn[i] = decision.host;
      listener?.(sim.now, i, "placed", decision.host.name);
      startIndex[i] = started.length;
      started.push(i);
      startup.begin({ index: started.length - 1, app: req.app, replica: req.replica, host: decision.host, requestedAt: sim.now });
    } else {
      reasons[i] = decision.reason;
      listener?.(sim.now, i, "rejected", decision.reason);
      settle(i);
    }
  }

  /** An instance is ready or rejected: a rollout's next wave may go. */
  function settle(i: number): void {
    const next = waves.settled(i);
    if (next) schedule(next.indices.map((k) => ({ i: k, t: sim.now + next.pauseS + offset(k) })));
  }

  function schedule(timed: { i: number; t: number }[]): void {
    // Requests at one time go in request order, or largest first for ffd/bfd.
    timed.sort((a, b) => a.t - b.t || (sortsLargestFirst(config.policy) ? largestFirst(reqs[a.i] as Request, reqs[b.i] as Request) : 0) || a.i - b.i);
    for (const { i, t } of timed) sim.at(t, REQUEST, i);
  }

  /** A replica's delay after its wave (or the app's start) begins: its stagger slot. */
  function offset(i: number): number {
    const r = reqs[i] as Request;
    const slot = r.app.rollout ? r.replica % r.app.rollout.batch : r.replica;
    return slot * r.app.staggerS;
  }

  schedule(waves.initial().flatMap((first) => first.indices.map((i) => ({ i, t: first.atS + offset(i) }))));
  sim.run(config.horizonS);

  const instances: InstanceRecord[] = reqs.map((r, i) => {
    const k = startIndex[i] as number;
    return {
      app: r.app.name,
      replica: r.replica,
      host: placedOn[i]?.name,
      requestedAt: requestedAt[i] as number,
      readyAt: readyAt[i] as number,
      reason: reasons[i],
      phases: STARTUP_PHASES.map((_, p) => (k < 0 ? 0 : startup.phaseSeconds(k, p))),
    };
  });
  return {
    replication,
    seed: deriveSeed(config.seed, replication),
    metrics: metricsOf(hosts, instances, startup.pullStats),
    hostInstances: hosts.map((h) => h.instances),
    rejections: groupRejections(instances),
    instances,
    eventsProcessed: sim.eventsProcessed,
  };
}

/**
 * Which requests go when: apps without a rollout request every replica from their start; with
 * `rollout: { batch }`, a wave of `batch` replicas waits until the previous wave is ready or rejected.
 */
class Waves {
  private readonly remaining = new Map<string, number>();
  private readonly waveOf: Int32Array;
  private readonly members = new Map<string, number[]>();

  constructor(private readonly reqs: readonly Request[]) {
    this.waveOf = new Int32Array(reqs.length);
    reqs.forEach((r, i) => {
      const wave = r.app.rollout ? Math.floor(r.replica / r.app.rollout.batch) : 0;
      this.waveOf[i] = wave;
      const key = `${r.app.name}\u0000${wave}`;
      const list = this.members.get(key);
      if (list) list.push(i);
      else this.members.set(key, [i]);
      this.remaining.set(key, (this.remaining.get(key) ?? 0) + 1);
    });
  }

  /** Wave 0 of every app, with the app's start time. */
  initial(): { readonly indices: readonly number[]; readonly atS: number }[] {
    const out: { indices: number[]; atS: number }[] = [];
    for (const [key, indices] of this.members) {
      if (!key.endsWith("\u00000")) continue;
      out.push({ indices, atS: (this.reqs[indices[0] as number] as Request).app.startAtS });
    }
    return out;
  }

  /** Marks request i ready or rejected; returns the app's next wave when this one is complete. */
  settled(i: number): { readonly indices: readonly number[]; readonly pauseS: number } | undefined {
    const r = this.reqs[i] as Request;
    if (!r.app.rollout) return undefined;
    const wave = this.waveOf[i] as number;
    const key = `${r.app.name}\u0000${wave}`;
    const left = (this.remaining.get(key) as number) - 1;
    this.remaining.set(key, left);
    if (left > 0) return undefined;
    const next = this.members.get(`${r.app.name}\u0000${wave + 1}`);
    return next ? { indices: next, pauseS: r.app.rollout.pauseS } : undefined;
  }
}

function metricsOf(
  hosts: readonly Host[],
  instances: readonly InstanceRecord[],
  pulls: { readonly bytes: number; readonly requests: number; readonly downloads: number },
): Record<MetricName, number> {
  const placed = instances.filter((i) => i.host !== undefined).length;
  const used = hosts.filter((h) => h.instances > 0);
  const latencies = instances
    .filter((i) => !Number.isNaN(i.readyAt))
    .map((i) => i.readyAt - i.requestedAt)
    .sort((a, b) => a - b);
  const q = (p: number): number => (latencies.length ? quantileSorted(latencies, p) : 0);
  const sum = (f: (h: Host) => number): number => hosts.reduce((acc, h) => acc + f(h), 0);
  const totalMemory = sum((h) => h.spec.memoryBytes);
  const m: Record<MetricName, number> = {
    "instances.requested": instances.length,
    "instances.placed": placed,
    "instances.rejected": instances.length - placed,
    "hosts.used": used.length,
    "density.perHost": used.length ? placed / used.length : 0,
    "startup.mean": latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : 0,
    "startup.p50": q(0.5),
    "startup.p95": q(0.95),
    "startup.p99": q(0.99),
    "startup.max": latencies.length ? (latencies[latencies.length - 1] as number) : 0,
    "startup.allReady": instances.reduce((acc, i) => (Number.isNaN(i.readyAt) ? acc : Math.max(acc, i.readyAt)), 0),
    ...phaseMeans(instances),
    "pull.bytes": pulls.bytes,
    "pull.cacheHitRatio": pulls.requests > 0 ? 1 - pulls.downloads / pulls.requests : 0,
    "memory.app": sum((h) => h.appBytes),
    "memory.guestOs": sum((h) => h.guestOsBytes),
    "memory.hypervisor": sum((h) => h.hypervisorBytes + h.baseHypervisorBytes),
    "memory.runtime": sum((h) => h.runtimeBytes + h.baseRuntimeBytes),
    "memory.reserved": sum((h) => h.spec.reservedMemoryBytes),
    "memory.free": 0,
    "cpu.committed": sum((h) => h.cpuCommittedCores),
    "cpu.overhead": sum((h) => h.idleCpuCores),
    osInstances: used.length + sum((h) => h.osInstances),
  };
  m["memory.free"] =
    totalMemory - m["memory.app"] - m["memory.guestOs"] - m["memory.hypervisor"] - m["memory.runtime"] - m["memory.reserved"];
  // Emit in the contract's order, whatever order the literal above was written in.
  return Object.fromEntries(METRICS.map((k) => [k, m[k]])) as Record<MetricName, number>;
}

/** Mean seconds per phase over the instances that became ready. */
function phaseMeans(instances: readonly InstanceRecord[]): Record<`startup.phase.${(typeof STARTUP_PHASES)[number]}`, number> {
  const ready = instances.filter((i) => !Number.isNaN(i.readyAt));
  const mean = (p: number): number => (ready.length ? ready.reduce((acc, i) => acc + (i.phases[p] as number), 0) / ready.length : 0);
  return Object.fromEntries(STARTUP_PHASES.map((name, p) => [`startup.phase.${name}`, mean(p)])) as Record<
    `startup.phase.${(typeof STARTUP_PHASES)[number]}`,
    number
  >;
}

function groupRejections(instances: readonly InstanceRecord[]): Rejection[] {
  const groups = new Map<string, { app: string; reason: string; count: number }>();
  for (const i of instances) {
    if (i.reason === undefined) continue;
    const key = `${i.app}\u0000${i.reason}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { app: i.app, reason: i.reason, count: 1 });
  }
  // Insertion order follows request order, which is deterministic.
  return [...groups.values()].map((g) => ({ app: g.app, count: g.count, reason: g.reason }));
}
