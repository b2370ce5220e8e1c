/**
 * One replication of one mode: every requested instance goes through the scheduler in request
 * order (largest first for ffd/bfd), a placed instance becomes ready after its mode's start
 * latency drawn from its own stream, and the run's metrics are read off the hosts at the end.
 */
import { quantileSorted } from "simple-statistics";
import { deriveSeed, RngStreams, sample, Simulation } from "../engine/index.js";
import { footprint, Host, type App, type Footprint, type Mode } from "../model/index.js";
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
  readonly requestedAt: number;
  /** NaN when not ready within the horizon or rejected. */
  readonly readyAt: number;
  readonly reason: string | undefined;
}

export interface RunOutput extends RunResult {
  readonly instances: readonly InstanceRecord[];
}

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

function requests(w: Workload, mode: Mode, policy: PlacementPolicy): Request[] {
  const out: Request[] = [];
  for (const app of w.apps) {
    const fp = footprint(app, mode);
    for (let r = 0; r < app.replicas; r++) out.push({ app, replica: r, footprint: fp });
  }
  if (sortsLargestFirst(policy)) {
    // Largest memory first, then largest CPU; Array.prototype.sort is stable, so ties keep request order.
    out.sort((a, b) => b.footprint.memoryCommitBytes - a.footprint.memoryCommitBytes || b.footprint.cpuCommitCores - a.footprint.cpuCommitCores);
  }
  return out;
}

export function runOnce(w: Workload, mode: Mode, config: RunConfig, replication: number): RunOutput {
  const hosts = buildHosts(w, mode);
  const reqs = requests(w, mode, config.policy);
  const streams = new RngStreams(config.seed, replication);
  const placedOn: (Host | undefined)[] = new Array(reqs.length).fill(undefined);
  const reasons: (string | undefined)[] = new Array(reqs.length).fill(undefined);
  const readyAt = new Float64Array(reqs.length).fill(NaN);

  const sim = new Simulation(Math.max(16, reqs.length));
  const READY = sim.register((i) => {
    readyAt[i] = sim.now;
  });
  const REQUEST = sim.register((i) => {
    const req = reqs[i] as Request;
    const decision = chooseHost(hosts, req, config.policy);
    if (decision.host) {
      decision.host.commit(req.app, req.footprint);
      placedOn[i] = decision.host;
      // One stream per replica: the same replica draws the same numbers in every mode (common random numbers).
      const latency = sample(mode.startLatency, streams.get(`start/${req.app.name}#${req.replica}`));
      sim.after(latency, READY, i);
    } else {
      reasons[i] = decision.reason;
    }
  });
  for (let i = 0; i < reqs.length; i++) sim.at(0, REQUEST, i);
  sim.run(config.horizonS);

  const instances: InstanceRecord[] = reqs.map((r, i) => ({
    app: r.app.name,
    replica: r.replica,
    host: placedOn[i]?.name,
    requestedAt: 0,
    readyAt: readyAt[i] as number,
    reason: reasons[i],
  }));
  return {
    replication,
    seed: deriveSeed(config.seed, replication),
    metrics: metricsOf(hosts, instances),
    hostInstances: hosts.map((h) => h.instances),
    rejections: groupRejections(instances),
    instances,
  };
}

function metricsOf(hosts: readonly Host[], instances: readonly InstanceRecord[]): Record<MetricName, number> {
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
    "startup.phase.pull": 0,
    "startup.phase.extract": 0,
    "startup.phase.create": 0,
    "startup.phase.provision": 0,
    "startup.phase.boot": 0,
    "startup.phase.guestInit": 0,
    "startup.phase.init": 0,
    "pull.bytes": 0,
    "pull.cacheHitRatio": 0,
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
