/**
 * A profile's parameters as people read them: the dotted path a scenario overrides, the value in
 * words with its unit, and where the default comes from. `densim profiles` lists these, and every
 * run records them per mode (results' `assumptions`), so the two never disagree.
 */
import type { Distribution } from "../engine/index.js";
import type { Profile } from "./profiles.js";

const MiB = 2 ** 20;

/** One parameter of a profile: `guestOs.memory`, `512 MiB`, `judgement: 512 MiB for a minimal ...`. */
export interface ProfileParameter {
  readonly parameter: string;
  readonly value: string;
  /** `<CALIBRATION.md key>: <note>`, or "" when the profile cites none. */
  readonly source: string;
}

/** A number to six significant figures without float noise: 0.057, not 0.056999999999999995. */
const num = (v: number): string => String(Number(v.toPrecision(6)));
const fmtDist = (d: Distribution): string => (d.dist === "constant" ? `${num(d.value)} s` : JSON.stringify(d));
const mib = (b: number): string => `${Number((b / MiB).toFixed(3))} MiB`;

function kindParameters(p: Profile): [string, string][] {
  switch (p.kind) {
    case "bare":
      return [["create", fmtDist(p.create)]];
    case "container":
      return [
        ["engine.memory", mib(p.engine.memoryBytes)],
        ["shim.memory", mib(p.shim.memoryBytes)],
        ["maxConcurrentDownloads", num(p.maxConcurrentDownloads)],
        ["extract.rate", `${num(p.extract.rateBytesPerS / 1e6)} MB/s per core`],
        ["extract.expansion", `${num(p.extract.expansion)}x`],
        ["create", fmtDist(p.create)],
      ];
    case "vm":
    case "microvm":
      return [
        ["guestOs.family", p.guestOs.family],
        ["guestOs.memory", mib(p.guestOs.memoryBytes)],
        ["guestOs.idleCpu", `${num(p.guestOs.idleCpuCores)} cores`],
        ["hypervisor.perVm", mib(p.hypervisor.perVmBytes)],
        ["hypervisor.perVcpu", mib(p.hypervisor.perVcpuBytes)],
        ["hypervisor.perGuestMemory", num(p.hypervisor.perGuestMemory)],
        ["hypervisor.perHost", mib(p.hypervisor.perHostBytes)],
        ["provision.copy", mib(p.provision.copyBytes)],
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
  if (p.kind === "vm" || p.kind === "microvm")
    running.push(["running.cpuTax", `${num(r.cpuTax * 100)}%`], ["running.ioEfficiency", num(r.ioEfficiency)]);
  if (r.daemonCpuCores > 0) running.push(["running.daemonCpu", `${num(r.daemonCpuCores)} cores`]);
  return [...kindParameters(p), ...running].map(([parameter, value]) => ({ parameter, value, source: sourceOf(p, parameter) }));
}
