/**
 * The event log of one run (`densim trace`): every instance's lifecycle with docker-like
 * identities — 64-hex container IDs whose first 12 characters are the hostname, bridge IPs per
 * host, VM names and addresses — all drawn from seeded streams, so a trace looks random but is
 * the same on every run of the same scenario and seed. `traceRun` keeps a run's events;
 * `streamTrace` hands them out one by one and keeps none (a month of jobs has tens of millions).
 */
import { RngStreams } from "../engine/index.js";
import { grown } from "../sharing/grow.js";
import type { Mode } from "../model/index.js";
import type { LoadedScenario } from "../scenario/index.js";
import { resolveWorkload, type Workload } from "./resolve.js";
import { runOnce, type RunConfig } from "./run.js";
import { ServiceTable } from "./service-table.js";

export interface Identity {
  /** Container: 64 hex; VM and microVM: a UUID; bare: the process id. */
  readonly id: string;
  /** `app#replica` */
  readonly name: string;
  /** Container: the short ID (docker's default hostname); VM: `<app>-<replica>`; bare: the host's name. */
  readonly hostname: string;
  readonly app: string;
  readonly replica: number;
  readonly host: string | undefined;
  readonly ip: string | undefined;
}

export interface TraceEvent {
  readonly time: number;
  readonly mode: string;
  /** Undefined for host-level events (layer downloads). */
  readonly instance: Identity | undefined;
  readonly host: string | undefined;
  readonly event: string;
  readonly detail: string;
}

export interface Trace {
  readonly mode: string;
  readonly profile: string;
  readonly seed: number;
  readonly identities: readonly Identity[];
  readonly events: readonly TraceEvent[];
}

const hex = (words: readonly number[]): string => words.map((w) => (w >>> 0).toString(16).padStart(8, "0")).join("");

function uuid(h: string): string {
  // RFC 4122 version 4 layout, from drawn bits.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[parseInt(h[16] ?? "0", 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const dotted = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

/** Events whose detail is the host the instance is on from then on. */
const MOVES_TO = new Set(["placed", "relocated", "migrated"]);

/** Runs replication 0 of `mode` and keeps every lifecycle event (streamTrace's, all held: for small runs and tests). */
export function traceRun(loaded: LoadedScenario, modeName: string): Trace {
  const t = streamTrace(loaded, modeName);
  const events: TraceEvent[] = [];
  t.replay((e) => events.push(e));
  return { mode: t.mode, profile: t.profile, seed: t.seed, identities: [...t.identities()], events };
}

/**
 * The address of the k-th instance placed (over the run), the n-th on its host (whose index is
 * `hostIndex`), as a 32-bit number.
 */
function addressOf(mode: Mode, n: number, k: number, hostIndex: number): number {
  if (mode.kind === "container") return ((172 << 24) | (17 << 16)) + 1 + n; // 172.17.0.2, .3, ... per host bridge
  if (mode.kind === "vm") return ((10 << 24) | (100 << 16)) + 10 + k; // one VM network for the cluster
  if (mode.kind === "microvm") return ((172 << 24) | (16 << 16)) + 4 * (k + 1) + 1; // a /30 per microVM tap
  return ((10 << 24) | 1) + hostIndex + 10; // bare: the host's own address
}

/** An instance's identity: its ID drawn from its own stream (the same whichever instances are traced). */
function identityOf(mode: Mode, streams: RngStreams, app: string, replica: number, host: string | undefined, ip: string | undefined): Identity {
  const rng = streams.fresh(`trace-id/${mode.name}/${app}#${replica}`);
  const words = Array.from({ length: 8 }, () => rng.uint32());
  const h = hex(words);
  const base = { name: `${app}#${replica}`, app, replica, host, ip };
  switch (mode.kind) {
    case "container":
      return { ...base, id: h, hostname: h.slice(0, 12) };
    case "vm":
    case "microvm":
      return { ...base, id: uuid(h), hostname: `${app}-${replica}` };
    case "bare":
      return { ...base, id: String(1000 + ((words[0] as number) % 3_000_000)), hostname: host ?? "" };
  }
}

/** What a trace streamed (`streamTrace`) tells before any event: the mode, its seed and how many events there are. */
export interface TraceStream {
  readonly mode: string;
  readonly profile: string;
  readonly seed: number;
  /** Events in the trace. */
  readonly count: number;
  /** Every instance's identity, in instance order, each made as it is reached (none kept). */
  identities(): Generator<Identity>;
  /**
   * Runs the trace again and calls `emit` with each event, in order (only `only`'s, if given: an
   * instance by its identity); nothing is kept per event.
   */
  replay(emit: (e: TraceEvent) => void, only?: Identity): void;
}

/**
 * A trace that keeps no event (`traceRun`'s events, handed out one at a time): the run goes
 * twice, the first time to learn what identities need from the run's end (the host each instance
 * ended on, the order of placements, which addresses follow) and to count the events, the second
 * to hand them out. `preview` sees each event of the first run, with identities that have no host
 * and no address yet (for what needs every event before the first is written, such as the widths
 * of a table's columns). Memory: a few numbers per instance, and the identities of the instances
 * an event may still name (every service; a job's until it is done), not the events.
 */
export function streamTrace(loaded: LoadedScenario, modeName: string, preview?: (e: TraceEvent) => void): TraceStream {
  const s = loaded.scenario;
  const w = resolveWorkload(s, loaded.traces);
  const mode = w.modes.find((m) => m.name === modeName);
  if (!mode) throw new Error(`streamTrace: no mode ${modeName}`);
  const config: RunConfig = { seed: s.seed, horizonS: s.horizon, policy: s.placement.policy };
  const streams = new RngStreams(s.seed, 0);
  const facts = new TraceFacts(w, mode);
  let count = 0;
  // The first run's identities, for `preview`: no host and no address yet.
  const partial = new IdentityCache(mode.name, facts, (_i, app, replica) => identityOf(mode, streams, app, replica, undefined, undefined));
  const out = runOnce(
    w,
    mode,
    config,
    0,
    (time, instance, event, detail) => {
      count++;
      facts.note(instance, event, detail);
      if (preview) preview(partial.event(time, instance, event, detail));
    },
    (seq, r) => facts.jobEnded(seq, r.host),
  );
  facts.servicesEnded(out.instances);
  const addresses = facts.addresses((n, k, hostIndex) => addressOf(mode, n, k, hostIndex));
  const full = (i: number, app: string, replica: number): Identity => {
    const ip = addresses[i] ?? 0;
    return identityOf(mode, streams, app, replica, facts.finalHost(i), ip === 0 ? undefined : dotted(ip));
  };
  return {
    mode: mode.name,
    profile: mode.profile.name,
    seed: out.seed,
    count,
    *identities() {
      for (let i = 0; i < facts.instances; i++) {
        const { app, replica } = facts.nameOf(i);
        yield full(i, app, replica);
      }
    },
    replay(emit, only) {
      const target = only === undefined ? -1 : facts.indexOf(only.app, only.replica);
      const cache = new IdentityCache(mode.name, facts, full);
      runOnce(
        w,
        mode,
        config,
        0,
        (time, instance, event, detail) => {
          if (target < 0 || instance === target) emit(cache.event(time, instance, event, detail));
          else cache.skip(instance, event, detail);
        },
        () => {},
      );
    },
  };
}

/**
 * Per instance, what a streamed trace learns from its first run: each job's app and arrival
 * number (from its arrival), the host each instance ended on (services from the run's records,
 * jobs from their records as they end), and every placement in order (addresses follow it).
 */
class TraceFacts {
  private readonly table: ServiceTable;
  readonly hostIndex: ReadonlyMap<string, number>;
  private readonly hostNames: readonly string[];
  private readonly jobApps: readonly string[];
  private readonly jobAppIndex: ReadonlyMap<string, number>;
  private readonly arrivals: number[];
  /** Per job (by arrival number over the run): its app (an index into jobApps) and its arrival number within that app. */
  private jobApp = new Int32Array(0);
  private jobReplica = new Int32Array(0);
  private jobs = 0;
  /** Per instance: the host it ended on (an index into hostNames; -1: none). */
  private endHost = new Int32Array(0);
  /** The instance of each "placed" event, in order. */
  private placements = new Int32Array(16);
  private placed = 0;

  constructor(w: Workload, mode: Mode) {
    this.table = new ServiceTable(w.apps, mode);
    this.hostNames = w.hostNames;
    this.hostIndex = new Map(w.hostNames.map((n, k) => [n, k]));
    this.jobApps = w.apps.filter((a) => a.kind === "job").map((a) => a.name);
    this.jobAppIndex = new Map(this.jobApps.map((n, k) => [n, k]));
    this.arrivals = this.jobApps.map(() => 0);
    this.endHost = grown(this.endHost, this.table.count, -1);
  }

  /** Services, then every job that arrived. */
  get instances(): number {
    return this.table.count + this.jobs;
  }

  /** Instance i's app and replica (a job's arrival number within its app). */
  nameOf(i: number): { app: string; replica: number } {
    if (i < this.table.count) return { app: this.table.appOf(i).name, replica: this.table.replicaOf(i) };
    const seq = i - this.table.count;
    return { app: this.jobApps[this.jobApp[seq]!] as string, replica: this.jobReplica[seq]! };
  }

  /** The instance of `app`'s replica `replica` (-1: none). */
  indexOf(app: string, replica: number): number {
    for (let i = 0; i < this.instances; i++) {
      const n = this.nameOf(i);
      if (n.app === app && n.replica === replica) return i;
    }
    return -1;
  }

  finalHost(i: number): string | undefined {
    const h = this.endHost[i] ?? -1;
    return h < 0 ? undefined : this.hostNames[h];
  }

  hostName(h: number): string | undefined {
    return this.hostNames[h];
  }

  note(i: number, event: string, detail: string): void {
    if (i < 0) return;
    if (event === "arrived") {
      const seq = i - this.table.count;
      const app = this.jobAppIndex.get(detail) ?? 0;
      if (seq >= this.jobApp.length) {
        this.jobApp = grown(this.jobApp, seq + 1);
        this.jobReplica = grown(this.jobReplica, seq + 1);
      }
      this.jobApp[seq] = app;
      this.jobReplica[seq] = this.arrivals[app] as number;
      this.arrivals[app] = (this.arrivals[app] as number) + 1;
      this.jobs = Math.max(this.jobs, seq + 1);
      if (i >= this.endHost.length) this.endHost = grown(this.endHost, i + 1, -1);
    } else if (event === "placed") {
      if (this.placed >= this.placements.length) this.placements = grown(this.placements, this.placed + 1);
      this.placements[this.placed++] = i;
    }
  }

  jobEnded(seq: number, host: string | undefined): void {
    const i = this.table.count + seq;
    if (i >= this.endHost.length) this.endHost = grown(this.endHost, i + 1, -1);
    this.endHost[i] = host === undefined ? -1 : (this.hostIndex.get(host) ?? -1);
  }

  /** The run's service records (it keeps no job's: jobEnded saw those). */
  servicesEnded(records: readonly { readonly host: string | undefined }[]): void {
    records.forEach(({ host }, i) => {
      if (i < this.table.count) this.endHost[i] = host === undefined ? -1 : (this.hostIndex.get(host) ?? -1);
    });
  }

  /**
   * Each instance's address as a 32-bit number (0: none): `address(n, k, host)` for its last
   * placement, the k-th over the run and the n-th among the instances that ended on its host.
   */
  addresses(address: (n: number, k: number, hostIndex: number) => number): Uint32Array {
    const out = new Uint32Array(this.instances);
    const perHost = new Int32Array(this.hostNames.length);
    for (let k = 0; k < this.placed; k++) {
      const i = this.placements[k]!;
      const h = this.endHost[i] ?? -1;
      if (h < 0) continue;
      perHost[h] = perHost[h]! + 1;
      out[i] = address(perHost[h]!, k, h) >>> 0;
    }
    return out;
  }
}

/**
 * The events of a run as a trace's events, one at a time: each instance's identity made once and
 * kept while events may still name it (a service's for the run; a job's until it is done), and
 * the host each instance is on (where it was last placed, relocated or migrated to: it may move).
 */
class IdentityCache {
  private readonly kept = new Map<number, Identity>();
  private hostNow = new Int32Array(0);

  constructor(
    private readonly mode: string,
    private readonly facts: TraceFacts,
    private readonly make: (i: number, app: string, replica: number) => Identity,
  ) {}

  /** The trace event of a run's event. */
  event(time: number, i: number, event: string, detail: string): TraceEvent {
    if (i < 0) {
      // A host's event (a layer's download): its host leads the detail.
      const cut = detail.indexOf(" ");
      return { time, mode: this.mode, instance: undefined, host: cut < 0 ? detail : detail.slice(0, cut), event, detail: cut < 0 ? "" : detail.slice(cut + 1) };
    }
    let identity = this.kept.get(i);
    if (identity === undefined) {
      const { app, replica } = this.facts.nameOf(i);
      identity = this.make(i, app, replica);
      this.kept.set(i, identity);
    }
    this.skip(i, event, detail);
    const h = this.hostNow[i] ?? 0;
    return { time, mode: this.mode, instance: identity, host: h > 0 ? this.facts.hostName(h - 1) : undefined, event, detail };
  }

  /** Notes a run's event that is not handed out: where its instance is now, and a job's end. */
  skip(i: number, event: string, detail: string): void {
    if (i < 0) return;
    if (MOVES_TO.has(event)) {
      if (i >= this.hostNow.length) this.hostNow = grown(this.hostNow, i + 1);
      this.hostNow[i] = (this.facts.hostIndex.get(detail) ?? -1) + 1;
    } else if (event === "done") this.kept.delete(i);
  }
}

/** The instances `matchInstances` found: how many, and the first `keep` of them. */
export interface InstanceMatches {
  readonly count: number;
  readonly first: readonly Identity[];
}

/**
 * Instances whose ID or name is `prefix`, or else whose ID starts with it, as `docker container
 * logs f1` resolves it: how many, and the first `keep` (identities are read once, none kept).
 */
export function matchInstances(identities: Iterable<Identity>, prefix: string, keep = Infinity): InstanceMatches {
  const exact: Identity[] = [];
  const starts: Identity[] = [];
  let exactCount = 0;
  let startsCount = 0;
  for (const i of identities) {
    if (i.id === prefix || i.name === prefix) {
      if (exactCount++ < keep) exact.push(i);
    } else if (i.id.startsWith(prefix) && startsCount++ < keep) starts.push(i);
  }
  return exactCount > 0 ? { count: exactCount, first: exact } : { count: startsCount, first: starts };
}
