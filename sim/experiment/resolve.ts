/**
 * Turns a validated scenario (SI units) into the model's inputs: host types, apps and the modes
 * to compare, each mode's profile with the scenario's overrides applied.
 */
import type { Distribution } from "../engine/index.js";
import {
  DEFAULT_PROFILE,
  findProfile,
  MODE_KINDS,
  parseRuntime,
  type App,
  type HostType,
  type Mode,
  type ModeKind,
  type Profile,
} from "../model/index.js";
import type { DurationDistribution, ModeSpec, Scenario } from "../scenario/index.js";

export interface Workload {
  readonly hostTypes: readonly HostType[];
  readonly hostNames: readonly string[];
  readonly apps: readonly App[];
  readonly modes: readonly Mode[];
}

export function toDistribution(d: DurationDistribution): Distribution {
  return typeof d === "number" ? { dist: "constant", value: d } : d;
}

export function resolveWorkload(s: Scenario): Workload {
  const hostTypes: HostType[] = s.hosts.map((h) => ({
    type: h.type,
    count: h.count,
    cores: h.cores,
    sockets: h.sockets,
    memoryBytes: h.memory,
    reservedCores: h.reserved.cores,
    reservedMemoryBytes: h.reserved.memory,
  }));
  const hostNames = hostTypes.flatMap((t) => Array.from({ length: t.count }, (_, i) => `${t.type}-${i + 1}`));
  const apps: App[] = s.apps.map((a) => ({
    name: a.name,
    replicas: a.replicas,
    runtime: parseRuntime(a.runtime),
    os: a.os,
    image: a.image,
    cpuCores: a.cpu,
    memoryBytes: a.memory,
    ports: a.ports,
    publish: a.publish,
  }));
  const specs: [string, ModeSpec][] = s.modes
    ? Object.entries(s.modes).filter((e): e is [string, ModeSpec] => e[1] !== undefined)
    : MODE_KINDS.map((k) => [k, {}]);
  return { hostTypes, hostNames, apps, modes: specs.map(([name, spec]) => resolveMode(name, spec)) };
}

/** Every field any kind of mode may set; a mode spec of one kind sets a subset. */
interface ModeOverrides {
  readonly kind?: ModeKind;
  readonly profile?: string;
  readonly startLatency?: DurationDistribution;
  readonly overcommit?: { readonly cpu?: number; readonly memory?: number };
  readonly vcpus?: "auto" | number;
  readonly limits?: boolean;
  readonly engine?: { readonly memory?: number };
  readonly shim?: { readonly memory?: number };
  readonly guestOs?: { readonly memory?: number; readonly idleCpu?: number };
  readonly hypervisor?: {
    readonly perVm?: number;
    readonly perVcpu?: number;
    readonly perGuestMemory?: number;
    readonly perHost?: number;
  };
}

export function resolveMode(name: string, spec: ModeSpec): Mode {
  const o: ModeOverrides = spec;
  const kind = o.kind ?? (name as ModeKind);
  const base = findProfile(kind, o.profile ?? DEFAULT_PROFILE[kind]);
  if (!base) throw new Error(`no ${kind} profile ${String(o.profile)}: the schema should have caught this`);
  const profile = applyOverrides(base, o);
  return {
    name,
    kind,
    profile,
    startLatency: o.startLatency !== undefined ? toDistribution(o.startLatency) : profile.startLatency,
    overcommitCpu: o.overcommit?.cpu ?? 1,
    overcommitMemory: o.overcommit?.memory ?? 1,
    vcpus: o.vcpus ?? "auto",
    limits: o.limits ?? false,
  };
}

function applyOverrides(p: Profile, o: ModeOverrides): Profile {
  switch (p.kind) {
    case "bare":
      return p;
    case "container":
      return {
        ...p,
        engine: { memoryBytes: o.engine?.memory ?? p.engine.memoryBytes },
        shim: { memoryBytes: o.shim?.memory ?? p.shim.memoryBytes },
      };
    case "vm":
    case "microvm":
      return {
        ...p,
        guestOs: {
          family: p.guestOs.family,
          memoryBytes: o.guestOs?.memory ?? p.guestOs.memoryBytes,
          idleCpuCores: o.guestOs?.idleCpu ?? p.guestOs.idleCpuCores,
        },
        hypervisor: {
          perVmBytes: o.hypervisor?.perVm ?? p.hypervisor.perVmBytes,
          perVcpuBytes: o.hypervisor?.perVcpu ?? p.hypervisor.perVcpuBytes,
          perGuestMemory: o.hypervisor?.perGuestMemory ?? p.hypervisor.perGuestMemory,
          perHostBytes: o.hypervisor?.perHost ?? p.hypervisor.perHostBytes,
        },
      };
  }
}
