/**
 * Cross-field checks the schema cannot express: duplicate names, references to images that do
 * not exist, cycles through `from:`, guests that cannot run an app's OS. They read the raw parsed
 * document defensively, so they run even when the schema found other problems: all at once.
 */
import { DEFAULT_PROFILE, findProfile, MODE_KINDS, type ContainerProfile, type ModeKind, type VmProfile } from "../model/profiles.js";
import type { IssuePath } from "./issues.js";
import { isUnitError, parseBytes, parseDuration } from "./units.js";
import { describeFound } from "./issues.js";
import { IMAGE_NAME_RULE, isImageName, isSafeName, NAME_MAX_LENGTH } from "./names.js";

export interface RawIssue {
  readonly code: string;
  readonly path: IssuePath;
  /** Set when the issue is about a mapping key rather than its value. */
  readonly key?: string;
  readonly message: string;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function semanticIssues(raw: unknown): RawIssue[] {
  if (!isRec(raw)) return [];
  return [...hostIssues(raw), ...appIssues(raw), ...imageIssues(raw), ...modeIssues(raw), ...failureIssues(raw), ...maintenanceIssues(raw)];
}

/** Host names as buildHosts makes them (`<type>-<n>`), from the raw hosts that are well formed. */
function hostNamesOf(raw: Rec): string[] {
  return list(raw.hosts).flatMap((h) => {
    if (!isRec(h) || typeof h.type !== "string") return [];
    const count = typeof h.count === "number" && Number.isInteger(h.count) && h.count >= 0 ? Math.min(h.count, 100_000) : 1;
    return Array.from({ length: count }, (_, k) => `${h.type as string}-${k + 1}`);
  });
}

/** A list of names for a message: every one up to 8, else the first and last few. */
const nameList = (names: readonly string[]): string => (names.length <= 8 ? names.join(", ") : `${names.slice(0, 4).join(", ")}, ..., ${names.slice(-2).join(", ")}`);

/** Scheduled failures must name a host of the cluster; a reserve of whole hosts must leave some for normal placement. */
function failureIssues(raw: Rec): RawIssue[] {
  const out: RawIssue[] = [];
  const names = hostNamesOf(raw);
  const known = new Set(names);
  list(raw.events).forEach((e, i) => {
    if (!isRec(e) || typeof e.fail !== "string" || known.has(e.fail)) return;
    out.push({
      code: "unknown_host",
      path: ["events", i, "fail"],
      message: `expected a host of the cluster (${names.length === 0 ? "none defined" : nameList(names)}), found ${describeFound(e.fail)}`,
    });
  });
  const reserve = raw.reserve;
  if (isRec(reserve) && typeof reserve.hosts === "number" && names.length > 0 && reserve.hosts >= names.length)
    out.push({
      code: "reserve",
      path: ["reserve", "hosts"],
      message: `expected fewer reserve hosts than the cluster's ${names.length} (some must take normal placement), found ${reserve.hosts}`,
    });
  return out;
}

function hostIssues(raw: Rec): RawIssue[] {
  const out: RawIssue[] = [];
  const first = new Map<string, number>();
  list(raw.hosts).forEach((h, i) => {
    if (!isRec(h) || typeof h.type !== "string") return;
    const prev = first.get(h.type);
    if (prev !== undefined)
      out.push({ code: "duplicate", path: ["hosts", i, "type"], message: `expected a host type used once (use count for more hosts of a type), found ${describeFound(h.type)} again (first at hosts[${prev}])` });
    else first.set(h.type, i);
  });
  const images = isRec(raw.images) ? raw.images : {};
  list(raw.hosts).forEach((h, i) => {
    if (!isRec(h)) return;
    list(h.prepulled).forEach((img, k) => {
      if (typeof img === "string" && !Object.hasOwn(images, img))
        out.push({ code: "unknown_image", path: ["hosts", i, "prepulled", k], message: unknownImage(img, images) });
    });
  });
  const counts = list(raw.hosts).map((h) => (isRec(h) ? (h.count ?? 1) : 1));
  if (counts.length > 0 && counts.every((c) => c === 0))
    out.push({ code: "no_hosts", path: ["hosts"], message: "expected at least one host in total, found a count of 0 for every host type" });
  list(raw.hosts).forEach((h, i) => {
    if (!isRec(h) || !isRec(h.reserved)) return;
    const memory = parseBytes(h.memory);
    const reserved = parseBytes(h.reserved.memory ?? 0);
    if (!isUnitError(memory) && !isUnitError(reserved) && reserved >= memory)
      out.push({ code: "reserve", path: ["hosts", i, "reserved", "memory"], message: `expected a reserve below the host's memory (${String(h.memory)}), found ${String(h.reserved.memory)}` });
    const cores = h.cores;
    const rc = h.reserved.cores;
    if (typeof cores === "number" && typeof rc === "number" && rc >= cores)
      out.push({ code: "reserve", path: ["hosts", i, "reserved", "cores"], message: `expected a reserve below the host's cores (${cores}), found ${rc}` });
  });
  return out;
}

function appIssues(raw: Rec): RawIssue[] {
  const out: RawIssue[] = [];
  const first = new Map<string, number>();
  const images = isRec(raw.images) ? raw.images : {};
  list(raw.apps).forEach((a, i) => {
    if (!isRec(a)) return;
    if (typeof a.name === "string") {
      const prev = first.get(a.name);
      if (prev !== undefined)
        out.push({ code: "duplicate", path: ["apps", i, "name"], message: `expected an app name used once, found ${describeFound(a.name)} again (first at apps[${prev}])` });
      else first.set(a.name, i);
    }
    const kind = a.kind ?? "service";
    if (kind === "service") {
      if (a.replicas === undefined) out.push({ code: "missing", path: ["apps", i], message: "expected replicas (how many instances of the service to run), found nothing: a service needs it" });
      for (const f of ["arrivals", "work"])
        if (a[f] !== undefined) out.push({ code: "job_field", path: ["apps", i], key: f, message: `expected no ${f} on a service (${f} is for jobs: add kind: job, or remove it), found ${f}` });
    } else if (kind === "job") {
      for (const f of ["arrivals", "work"])
        if (a[f] === undefined)
          out.push({ code: "missing", path: ["apps", i], message: `expected ${f} (${f === "work" ? "the work of one job in core-seconds" : "an arrival process"}), found nothing: a job needs it` });
      for (const f of ["replicas", "rollout", "start", "load", "io", "grow", "memoryLimit", "restart"])
        if (a[f] !== undefined)
          out.push({ code: "service_field", path: ["apps", i], key: f, message: `expected no ${f} on a job (${f} is for services; a job runs its work once per arrival), found ${f}` });
    }
    if (typeof a.image === "string" && !Object.hasOwn(images, a.image)) {
      out.push({ code: "unknown_image", path: ["apps", i, "image"], message: unknownImage(a.image, images) });
    }
  });
  return out;
}

function unknownImage(name: string, images: Rec, what = "an image"): string {
  const names = Object.keys(images);
  return names.length === 0
    ? `expected ${what} defined under images, found ${describeFound(name)} (no images are defined)`
    : `expected ${what} defined under images (one of: ${names.join(", ")}), found ${describeFound(name)}`;
}

function imageIssues(raw: Rec): RawIssue[] {
  if (!isRec(raw.images)) return [];
  const images = raw.images;
  const out: RawIssue[] = [];
  const names = Object.keys(images);
  const from = (name: string): string | undefined => {
    const img = images[name];
    return isRec(img) && typeof img.from === "string" ? img.from : undefined;
  };
  const reported = new Set<string>();
  for (const name of names) {
    if (!isImageName(name))
      out.push({ code: "image_name", path: ["images"], key: name, message: `expected an image name of ${IMAGE_NAME_RULE}, found ${describeFound(name)}` });
    const base = from(name);
    if (base === undefined) continue;
    if (!Object.hasOwn(images, base)) {
      out.push({ code: "unknown_image", path: ["images", name, "from"], message: unknownImage(base, images, "a base image") });
      continue;
    }
    // Follow the chain; a cycle is reported once, at its first member in file order.
    const chain = [name];
    let cur: string | undefined = base;
    while (cur !== undefined && Object.hasOwn(images, cur) && !chain.includes(cur)) {
      chain.push(cur);
      cur = from(cur);
    }
    if (cur === name && !reported.has(name)) {
      chain.forEach((c) => reported.add(c));
      out.push({ code: "image_cycle", path: ["images", name, "from"], message: `expected base images (from:) without a cycle, found the cycle ${[...chain, name].join(" -> ")}` });
    }
  }
  return out;
}

function modeIssues(raw: Rec): RawIssue[] {
  if (raw.modes === undefined) {
    // The default VM and microVM profiles run Linux guests: Windows apps need the modes named.
    const windows = list(raw.apps).find((a) => isRec(a) && a.os === "windows");
    if (isRec(windows))
      return [
        {
          code: "guest_os",
          path: [],
          message: `expected modes with a windows profile for app ${describeFound(windows.name)}, found no modes (the default container, vm and microvm profiles run linux); add modes, e.g. modes: { bare: {}, container: { profile: windows-process }, vm: { profile: hyperv-windows } }`,
        },
      ];
  }
  if (!isRec(raw.modes)) return [];
  const out: RawIssue[] = [];
  const apps = list(raw.apps).filter(isRec);
  for (const [name, mode] of Object.entries(raw.modes)) {
    if (!/^[a-z][a-z0-9-]*$/.test(name) || !isSafeName(name))
      out.push({ code: "mode_name", path: ["modes"], key: name, message: `expected a mode name of 1 to ${NAME_MAX_LENGTH} lower-case letters, digits and '-', starting with a letter, not "constructor", found ${describeFound(name)}` });
    if (!isRec(mode)) continue;
    const kind = (typeof mode.kind === "string" ? mode.kind : name) as ModeKind;
    if (!MODE_KINDS.includes(kind) || (kind !== "vm" && kind !== "microvm" && kind !== "container")) continue;
    const profileName = typeof mode.profile === "string" ? mode.profile : DEFAULT_PROFILE[kind];
    const profile = findProfile(kind, profileName) as VmProfile | ContainerProfile | undefined;
    if (!profile) continue;
    // A container shares its host's kernel: Windows apps need a Windows container profile, not Linux numbers.
    const family = profile.kind === "container" ? profile.os : profile.guestOs.family;
    const what = profile.kind === "container" ? "containers" : "guests";
    const misfit = apps.find((a) => (a.os ?? "linux") !== family);
    if (misfit) {
      const otherOs = String(misfit.os ?? "linux");
      const hint = profile.kind === "container" && otherOs === "windows" ? " (windows-process or windows-hyperv)" : "";
      out.push({
        code: "guest_os",
        path: typeof mode.profile === "string" ? ["modes", name, "profile"] : ["modes", name],
        message: `expected a profile whose ${what} run what every app needs, found profile ${profileName}, which runs ${family} ${what}, while app ${describeFound(misfit.name)} needs ${otherOs}; choose a ${otherOs} profile for this mode${hint} (densim profiles)`,
      });
    }
  }
  return out;
}

/** Rolling host patches take `parallel` hosts at a time out of the estate: never more than it has. */
function maintenanceIssues(raw: Rec): RawIssue[] {
  if (!isRec(raw.maintenance) || !isRec(raw.maintenance.hostPatch)) return [];
  const patch = raw.maintenance.hostPatch;
  const hosts = hostNamesOf(raw).length;
  const out: RawIssue[] = [];
  if (typeof patch.parallel === "number" && patch.parallel > hosts)
    out.push({
      code: "maintenance_parallel",
      path: ["maintenance", "hostPatch", "parallel"],
      message: `expected at most the ${hosts} host${hosts === 1 ? "" : "s"} of the estate patched at once, found ${patch.parallel}`,
    });
  const every = parseDuration(patch.every);
  const duration = parseDuration(patch.duration);
  if (!isUnitError(every) && !isUnitError(duration) && every > 0 && duration >= every)
    out.push({
      code: "maintenance_duration",
      path: ["maintenance", "hostPatch", "duration"],
      message: `expected a patch window shorter than the period (every: ${String(patch.every)}), found ${String(patch.duration)}`,
    });
  return out;
}
