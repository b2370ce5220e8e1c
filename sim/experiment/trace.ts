/**
 * The event log of one run (`densim trace`): every instance's lifecycle with docker-like
 * identities — 64-hex container IDs whose first 12 characters are the hostname, bridge IPs per
 * host, VM names and addresses — all drawn from seeded streams, so a trace looks random but is
 * the same on every run of the same scenario and seed.
 */
import { RngStreams } from "../engine/index.js";
import type { Mode } from "../model/index.js";
import type { LoadedScenario } from "../scenario/index.js";
import { resolveWorkload } from "./resolve.js";
import { runOnce } from "./run.js";

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

/** Runs replication 0 of `mode` with every lifecycle event recorded. */
export function traceRun(loaded: LoadedScenario, modeName: string): Trace {
  const s = loaded.scenario;
  const w = resolveWorkload(s, loaded.traces);
  const mode = w.modes.find((m) => m.name === modeName);
  if (!mode) throw new Error(`traceRun: no mode ${modeName}`);
  const raw: { time: number; instance: number; event: string; detail: string }[] = [];
  const out = runOnce(w, mode, { seed: s.seed, horizonS: s.horizon, policy: s.placement.policy }, 0, (time, instance, event, detail) =>
    raw.push({ time, instance, event, detail }),
  );
  const streams = new RngStreams(s.seed, 0);
  const identities = assignIdentities(mode, out.instances, w.hostNames, streams, raw);
  const hostOfLayerEvent = (detail: string): string | undefined => detail.split(" ")[0];
  // An instance's host at each event: where it was last placed, relocated or migrated to (it may move).
  const hostNow = new Map<number, string>();
  const events: TraceEvent[] = raw.map((e) => {
    const identity = e.instance >= 0 ? identities[e.instance] : undefined;
    if (identity && MOVES_TO.has(e.event)) hostNow.set(e.instance, e.detail);
    return {
      time: e.time,
      mode: mode.name,
      instance: identity,
      host: identity ? hostNow.get(e.instance) : hostOfLayerEvent(e.detail),
      event: e.event,
      detail: identity ? e.detail : e.detail.split(" ").slice(1).join(" "),
    };
  });
  return { mode: mode.name, profile: mode.profile.name, seed: out.seed, identities, events };
}

function assignIdentities(
  mode: Mode,
  instances: readonly { readonly app: string; readonly replica: number; readonly host: string | undefined }[],
  hostNames: readonly string[],
  streams: RngStreams,
  raw: readonly { instance: number; event: string }[],
): Identity[] {
  // Addresses go out in placement order, as docker's IPAM and a DHCP server would hand them out.
  const order = raw.filter((e) => e.event === "placed").map((e) => e.instance);
  const ips = new Map<number, string>();
  const perHost = new Map<string, number>();
  order.forEach((i, k) => {
    const host = instances[i]?.host;
    if (host === undefined) return;
    const n = (perHost.get(host) ?? 0) + 1;
    perHost.set(host, n);
    const hostIndex = hostNames.indexOf(host);
    if (mode.kind === "container") ips.set(i, dotted(((172 << 24) | (17 << 16)) + 1 + n)); // 172.17.0.2, .3, ... per host bridge
    else if (mode.kind === "vm") ips.set(i, dotted(((10 << 24) | (100 << 16)) + 10 + k)); // one VM network for the cluster
    else if (mode.kind === "microvm") ips.set(i, dotted(((172 << 24) | (16 << 16)) + 4 * (k + 1) + 1)); // a /30 per microVM tap
    else ips.set(i, dotted(((10 << 24) | 1) + hostIndex + 10)); // bare: the host's own address
  });
  return instances.map((inst, i) => {
    const rng = streams.get(`trace-id/${mode.name}/${inst.app}#${inst.replica}`);
    const words = Array.from({ length: 8 }, () => rng.uint32());
    const h = hex(words);
    const name = `${inst.app}#${inst.replica}`;
    const base = { name, app: inst.app, replica: inst.replica, host: inst.host, ip: ips.get(i) };
    switch (mode.kind) {
      case "container":
        return { ...base, id: h, hostname: h.slice(0, 12) };
      case "vm":
      case "microvm":
        return { ...base, id: uuid(h), hostname: `${inst.app}-${inst.replica}` };
      case "bare":
        return { ...base, id: String(1000 + ((words[0] as number) % 3_000_000)), hostname: inst.host ?? "" };
    }
  });
}

/** Instances whose ID (or name) starts with `prefix`, as `docker container logs f1` resolves it. */
export function matchInstances(identities: readonly Identity[], prefix: string): Identity[] {
  const exact = identities.filter((i) => i.id === prefix || i.name === prefix);
  if (exact.length > 0) return exact;
  return identities.filter((i) => i.id.startsWith(prefix));
}
