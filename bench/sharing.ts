/**
 * Fluid-sharing benchmark: many independent resources (hosts' CPUs) with staggered flows run to completion,
 * a shared bottleneck (one registry feeding every host's NIC, one big component), a one-resource pile-up,
 * and the start-up storms of containers (creates on each host's serial server and disk: a hub per host)
 * and VMs (boots on a CPU of demand flows at their caps and a disk they saturate: the roomy CPU stays out
 * of the disk's component). Prints flows, events, component recomputes, events moved (and the engine
 * reschedules of completion groups they cost), flows read by completions, wall time, events and flow updates per second; never asserts on time.
 */
import { RngStreams, Simulation, sample, type Rng } from "../sim/engine/index.js";
import { FluidSharing } from "../sim/sharing/index.js";

interface Case {
  readonly name: string;
  /** Independent groups (hosts); each has its own resource(s). */
  readonly hosts: number;
  readonly flowsPerHost: number;
  /** Flows start uniformly over [0, windowS). */
  readonly windowS: number;
  /** Build resources (and any demand flows, which never finish) and return how to start one flow of host h. */
  readonly setup: (s: FluidSharing, rng: Rng) => (host: number) => void;
  /** Demand flows the setup started (they are still active at the end). */
  readonly steady?: number;
}

const CORES = 16;
const WORK = { dist: "exponential", mean: 30 } as const; // core-seconds per flow
const PULL = { dist: "exponential", mean: 100e6 } as const; // bytes per image pull

/** Each host: one CPU of 16 cores; flows capped at 1 or 2 cores (vCPUs). */
const cpuHosts = (s: FluidSharing, rng: Rng, hosts: number): ((host: number) => void) => {
  const cpu = Array.from({ length: hosts }, (_, h) => s.addResource(CORES, `cpu${h}`));
  return (h) => {
    s.startFlow({ work: sample(WORK, rng), uses: [{ resource: cpu[h]! }], cap: rng.next() < 0.5 ? 1 : 2 });
  };
};

/** Per host a serial server (one second of work per second) and a 2 GB/s disk; a create writes 20 MB during its serial work. */
const createHosts = (s: FluidSharing, rng: Rng, hosts: number): ((host: number) => void) => {
  const serial = Array.from({ length: hosts }, (_, h) => s.addResource(1, `serial${h}`));
  const disk = Array.from({ length: hosts }, (_, h) => s.addResource(2e9, `disk${h}`));
  return (h) => {
    const work = sample({ dist: "exponential", mean: 0.25 }, rng);
    s.startFlow({ work, uses: [{ resource: serial[h]! }, { resource: disk[h]!, coef: 20e6 / work }] });
  };
};

/** Per host 62 cores running 50 demand flows at their caps, and a 500 MB/s disk; a boot reads 300 MB over its CPU work, at most one core. */
const bootHosts = (s: FluidSharing, rng: Rng, hosts: number): ((host: number) => void) => {
  const cpu = Array.from({ length: hosts }, (_, h) => s.addResource(62, `cpu${h}`));
  const disk = Array.from({ length: hosts }, (_, h) => s.addResource(500e6, `disk${h}`));
  for (let h = 0; h < hosts; h++) for (let i = 0; i < 50; i++) s.startFlow({ work: Infinity, uses: [{ resource: cpu[h]! }], cap: 0.1 + 0.4 * rng.next() });
  return (h) => {
    const work = sample({ dist: "exponential", mean: 3 }, rng);
    s.startFlow({ work, uses: [{ resource: cpu[h]! }, { resource: disk[h]!, coef: 300e6 / work }], cap: 1 });
  };
};

const CASES: readonly Case[] = [
  // Offered load 30 cores against 16 while arrivals last, so flows pile up and share (dozens per host).
  { name: "100 hosts x 100 flows", hosts: 100, flowsPerHost: 100, windowS: 100, setup: (s, rng) => cpuHosts(s, rng, 100) },
  // Offered load 20 against 16 for 1500 s: hundreds of concurrent flows per host by the end.
  { name: "100 hosts x 1000 flows", hosts: 100, flowsPerHost: 1000, windowS: 1500, setup: (s, rng) => cpuHosts(s, rng, 100) },
  // A boot storm: 2000 flows arrive within 10 s on one host.
  { name: "1 host x 2000 flows (storm)", hosts: 1, flowsPerHost: 2000, windowS: 10, setup: (s, rng) => cpuHosts(s, rng, 1) },
  {
    // Every pull crosses the registry (1 Gbit/s) and its host's NIC (25 Gbit/s): one component for all hosts.
    name: "registry + 100 NICs x 20 pulls",
    hosts: 100,
    flowsPerHost: 20,
    windowS: 800, // 200 GB offered in 800 s to a registry that serves 100 GB in that time
    setup: (s, rng) => {
      const registry = s.addResource(125e6, "registry");
      const nic = Array.from({ length: 100 }, (_, h) => s.addResource(3.125e9, `nic${h}`));
      return (h) => {
        s.startFlow({ work: sample(PULL, rng), uses: [{ resource: registry }, { resource: nic[h]! }], cap: 50e6 });
      };
    },
  },
  // Container start-up storm: 50 creates per host within a second, processor-shared on the serial server.
  { name: "100 hosts x 50 creates (serial + disk)", hosts: 100, flowsPerHost: 50, windowS: 1, setup: (s, rng) => createHosts(s, rng, 100) },
  // VM boot storm: 50 boots per host within a second; the disk binds, the CPU (demands at their caps) does not.
  { name: "100 hosts x 50 boots (CPU + disk)", hosts: 100, flowsPerHost: 50, windowS: 1, steady: 50 * 100, setup: (s, rng) => bootHosts(s, rng, 100) },
];

interface Row {
  readonly flows: number;
  readonly events: number;
  readonly recomputes: number;
  readonly visited: number;
  readonly moved: number;
  readonly rekeys: number;
  readonly read: number;
  readonly ms: number;
}

function runCase(c: Case): Row {
  const streams = new RngStreams(7, 0);
  const sim = new Simulation();
  const s = new FluidSharing(sim);
  const start = c.setup(s, streams.get("work"));
  const when = streams.get("arrivals");
  const kind = sim.register((host) => start(host));
  for (let h = 0; h < c.hosts; h++) for (let i = 0; i < c.flowsPerHost; i++) sim.at(when.next() * c.windowS, kind, h);
  const t0 = performance.now();
  sim.run();
  const ms = performance.now() - t0;
  const flows = c.hosts * c.flowsPerHost;
  if (s.activeFlows !== (c.steady ?? 0) || s.stats.completions !== flows) throw new Error(`${c.name}: ${s.stats.completions}/${flows} completed`);
  const st = s.stats;
  return { flows, events: sim.eventsProcessed, recomputes: st.recomputes, visited: st.flowsVisited, moved: st.eventsRescheduled, rekeys: st.groupRekeys, read: st.dueRead, ms };
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((x, c) => x.padStart(widths[c] ?? 0)).join(" | ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

const int = (x: number): string => Math.round(x).toLocaleString("en-US");

/**
 * Services-like demand on host CPUs (64 cores): per host 50 demand flows (weight 0.5) with an idle flow
 * each, and a short start-up flow whose end sets the first demand; then 24 steps of 20 apps, each step
 * a batch of cap changes over every host. Per-event cost must not grow with the number of hosts.
 */
function runDemand(hosts: number): { changes: number; events: number; recomputes: number; noted: number; cpuMs: number } {
  const PER = 50;
  const APPS = 20;
  const STEPS = 24;
  const sim = new Simulation();
  const s = new FluidSharing(sim);
  const rng = new RngStreams(7, 0).get("demand");
  const cpu = Array.from({ length: hosts }, (_, h) => s.addResource(64, `cpu${h}`));
  const n = hosts * PER;
  const demand = new Int32Array(n).fill(-1);
  let changes = 0;
  const setDemand = (i: number): void => {
    s.setCap(demand[i]!, 0.15 + 0.3 * rng.next());
    changes++;
  };
  const start = sim.register((i) => {
    const h = i % hosts;
    s.batch(() => {
      demand[i] = s.startFlow({ work: Infinity, uses: [{ resource: cpu[h]! }], weight: 0.5, cap: 0 });
      s.startFlow({ work: Infinity, uses: [{ resource: cpu[h]! }], cap: 0.05 });
      s.startFlow({ work: 1 + 3 * rng.next(), uses: [{ resource: cpu[h]! }], cap: 1, onDone: () => setDemand(i) });
    });
  });
  for (let i = 0; i < n; i++) sim.at(600 * rng.next(), start, i);
  // App k's instances are k, k + APPS, ...: each step of one app changes a few instances on every host.
  const step = sim.register((app) =>
    s.batch(() => {
      for (let i = app; i < n; i += APPS) if (demand[i]! >= 0) setDemand(i);
    }),
  );
  for (let k = 0; k < STEPS; k++) for (let app = 0; app < APPS; app++) sim.at(1000 + k * 3600 + app * 60, step, app);
  const t0 = process.cpuUsage();
  sim.run();
  const t = process.cpuUsage(t0);
  return { changes, events: sim.eventsProcessed, recomputes: s.stats.recomputes, noted: s.stats.capsNoted, cpuMs: (t.user + t.system) / 1e3 };
}

/** The demand case at 200 and 2000 hosts (10,000 and 100,000 demand flows), with the growth exponent of CPU time. */
export function benchDemand(): string {
  runDemand(50);
  const rows: string[][] = [];
  let prev: { hosts: number; cpuMs: number } | undefined;
  for (const hosts of [200, 2000]) {
    const r = runDemand(hosts);
    const exponent = prev === undefined ? "" : (Math.log(r.cpuMs / prev.cpuMs) / Math.log(hosts / prev.hosts)).toFixed(2);
    rows.push([`${int(hosts)} hosts x 50 services`, int(r.changes), int(r.events), int(r.recomputes), int(r.noted), r.cpuMs.toFixed(0), ((r.cpuMs * 1e3) / r.changes).toFixed(2), exponent]);
    prev = { hosts, cpuMs: r.cpuMs };
  }
  return table(["case", "cap changes", "events", "recomputes", "from noted changes", "CPU ms", "CPU us / cap change", "growth exponent"], rows);
}

export async function benchSharing(): Promise<string> {
  // Warm the JIT on the smallest case so the first row measures steady-state code.
  runCase(CASES[0]!);
  const rows: string[][] = [];
  for (const c of CASES) {
    const r = runCase(c);
    rows.push([
      c.name,
      int(r.flows),
      int(r.events),
      int(r.recomputes),
      (r.visited / r.recomputes).toFixed(1),
      int(r.moved),
      int(r.rekeys),
      (r.read / r.flows).toFixed(2),
      r.ms.toFixed(0),
      `${((r.events / r.ms) * 1e3 / 1e6).toFixed(3)} M`,
      `${((r.visited / r.ms) * 1e3 / 1e6).toFixed(1)} M`,
    ]);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // Flow updates/s: flows visited by recomputes per second, the cost that grows with contention.
  // Events moved: completion events rescheduled (rate changes); group rekeys: the engine reschedules
  // they cost (one per completion group whose earliest event changed); reads / completion: flows read looking for others done with it.
  const main = table(["case", "flows", "events", "recomputes", "flows/recompute", "events moved", "group rekeys", "reads/completion", "wall ms", "events/s", "flow updates/s"], rows);
  return `${main}\n\n${benchDemand()}`;
}
