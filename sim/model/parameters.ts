/**
 * A profile's parameters as people read them: the dotted path a scenario overrides, the value in
 * words with its unit, and where the default comes from. `densim profiles` lists these, and every
 * run records them per mode (results' `assumptions`), so the two never disagree.
 */
import type { Distribution } from "../engine/index.js";
import { formatBytes, formatDuration, formatRatio, formatShare, formatValue, sigFigs } from "../units/format.js";
import { WORKLOAD_CLASSES, type Profile } from "./profiles.js";

/** One parameter of a profile: `guestOs.memory`, `512 MiB`, `judgement: 512 MiB for a minimal ...`. */
export interface ProfileParameter {
  readonly parameter: string;
  readonly value: string;
  /** `<docs/calibration.md key>: <note>`, or "" when the profile cites none. */
  readonly source: string;
}

const num = (v: number): string => sigFigs(v);
const mib = formatBytes;

/** "568 ms", or "lognormal: mean 5 s, sd 1.5 s": every parameter through the one formatter. */
function fmtDist(d: Distribution): string {
  if (d.dist === "constant") return formatDuration(d.value);
  const params = Object.entries(d)
    .filter(([k]) => k !== "dist")
    .map(([k, v]) => {
      const one = (x: unknown): string => (typeof x === "number" ? (k === "weights" ? sigFigs(x) : formatDuration(x)) : String(x));
      return `${k} ${Array.isArray(v) ? `[${v.map(one).join(", ")}]` : one(v)}`;
    });
  return `${d.dist}: ${params.join(", ")}`;
}

function kindParameters(p: Profile): [string, string][] {
  switch (p.kind) {
    case "bare":
      return [
        ["serial", fmtDist(p.serial)],
        ["create", fmtDist(p.create)],
      ];
    case "container":
      return [
        ["engine.memory", mib(p.engine.memoryBytes)],
        ["shim.memory", mib(p.shim.memoryBytes)],
        ["maxConcurrentDownloads", num(p.maxConcurrentDownloads)],
        ["extract.rate", `${formatBytes(p.extract.rateBytesPerS)}/s per core`],
        ["extract.expansion", formatRatio(p.extract.expansion)],
        ["serial", `${fmtDist(p.serial)} on the host's serial server (shared by all starting at once)`],
        ["create.disk", `${mib(p.createDiskBytes)} on the host disk during the serial step`],
        ["create", `${fmtDist(p.create)} in parallel`],
        ["lazyReadShare", `${formatShare(p.lazyReadShare)} of the image before start (pull: lazy)`],
        ...(p.utilityVm
          ? ([
              ["utilityVm.memory", mib(p.utilityVm.memoryBytes)],
              ["utilityVm.idleCpu", formatValue(p.utilityVm.idleCpuCores, "cores")],
            ] as [string, string][])
          : []),
      ];
    case "vm":
    case "microvm":
      return [
        ["guestOs.family", p.guestOs.family],
        ["guestOs.memory", mib(p.guestOs.memoryBytes)],
        ["guestOs.idleCpu", formatValue(p.guestOs.idleCpuCores, "cores")],
        ["hypervisor.perVm", mib(p.hypervisor.perVmBytes)],
        ["hypervisor.perVcpu", mib(p.hypervisor.perVcpuBytes)],
        ["hypervisor.perGuestMemory", `${formatShare(p.hypervisor.perGuestMemory)} of guest memory`],
        ["hypervisor.perHost", mib(p.hypervisor.perHostBytes)],
        ["provision.copy", mib(p.provision.copyBytes)],
        ["provision.concurrentOps", p.provision.concurrentOps > 0 ? `${num(p.provision.concurrentOps)} per host` : "no limit"],
        ["serial", `${fmtDist(p.serial)} on the host's serial server (VMM spawn)`],
        ["boot.delay", fmtDist(p.boot.delay)],
        ["boot.work", `${fmtDist(p.boot.work)} of one core`],
        ["boot.read", mib(p.boot.readBytes)],
        ["guestInit", `${fmtDist(p.guestInit)} of one core`],
      ];
  }
}

/** The source of a parameter: its own entry, else its group's (`hypervisor` for `hypervisor.perVm`). */
function sourceOf(p: Profile, param: string): string {
  const parts = param.split(".");
  const s = p.sources[param] ?? p.sources[parts.slice(0, 2).join(".")] ?? p.sources[parts[0] as string];
  return s ? `${s.key}: ${s.note}` : "";
}

/** Every parameter of a profile, in a fixed order: the kind's own, then how it runs next to others. */
export function profileParameters(p: Profile): ProfileParameter[] {
  const r = p.running;
  const running: [string, string][] = [
    ["running.interference.memoryBandwidth", num(r.interference.memoryBandwidth)],
    ["running.interference.disk", num(r.interference.disk)],
  ];
  for (const c of WORKLOAD_CLASSES) running.push([`running.cpuTax.${c}`, formatShare(r.cpuTax[c])]);
  running.push(
    ["running.io.sequential", `${formatShare(r.io.sequential)} of native per instance`],
    ["running.io.random", `${formatShare(r.io.random)} of native per instance`],
    ["running.io.cpuPerOp", formatDuration(r.io.cpuPerOpS)],
  );
  if (p.kind === "vm" || p.kind === "microvm") running.push(["running.ioEfficiency", `${num(r.ioEfficiency)} (boot reads)`]);
  if (r.daemonCpuCores > 0) running.push(["running.daemonCpu", formatValue(r.daemonCpuCores, "cores")]);
  return [...kindParameters(p), ...running].map(([parameter, value]) => ({ parameter, value, source: sourceOf(p, parameter) }));
}
