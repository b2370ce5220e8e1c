/**
 * The parameters `densim explore` offers: the scenario's `explore.params`, or defaults (replicas
 * of each app, host counts, overcommit ratios and guest OS memory per mode, registry bandwidth,
 * the container image cache). A value becomes a `--set path=value` string, so the explorer runs
 * exactly what `densim run --set` would; every value a client sends is checked here first.
 */
import { resolveWorkload } from "../../experiment/index.js";
import type { ExploreParamSpec, LoadedScenario } from "../../scenario/index.js";
import { parseBandwidth, parseBytes, parseDuration, parseRate, isUnitError } from "../../scenario/units.js";

export type ParamValue = number | string | boolean;

export interface ExploreParam {
  readonly path: string;
  readonly label: string;
  /** A slider (`range`) or a choice between `values`. */
  readonly kind: "range" | "choice";
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly unit: string;
  readonly values: readonly ParamValue[];
  /** The value in force when the scenario runs as written (the control's reset position). */
  readonly initial: ParamValue;
  /** The initial value is what the scenario runs with (else it is only where the control starts). */
  readonly known: boolean;
  /** Index in the scenario's explore.params, or -1 for a default. */
  readonly declared: number;
}

/** A number as written in a `--set` value: no float noise (0.30000000000000004 is 0.3). */
export const numberText = (v: number): string => String(Number(v.toPrecision(12)));

/** The `--set` expression for a value of a parameter: `apps.orders.replicas=80`, `modes.vm.guestOs.memory=512MiB`. */
export function setExpression(p: ExploreParam, v: ParamValue): string {
  return `${p.path}=${typeof v === "number" ? `${numberText(v)}${p.unit}` : String(v)}`;
}

/** A step near 1/50 of a range: 1, 2 or 5 times a power of ten. */
export function niceStep(span: number): number {
  if (!(span > 0)) return 1;
  const raw = span / 50;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return Number(((m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow).toPrecision(12));
}

/** The SI value of one `unit` (MiB -> 1048576, Mbit/s -> 125000), or 1 when it is no known unit. */
function unitFactor(unit: string): number {
  if (unit === "") return 1;
  for (const parse of [parseBytes, parseBandwidth, parseDuration, parseRate]) {
    const v = parse(`1${unit}`);
    if (!isUnitError(v)) return v;
  }
  return 1;
}

/** The value at a dotted path of the parsed scenario; list items by index or by name. */
function valueAt(root: unknown, path: string): unknown {
  let node = root;
  for (const seg of path.split(".")) {
    if (Array.isArray(node)) node = /^[0-9]+$/.test(seg) ? node[Number(seg)] : node.find((it: unknown) => (it as { name?: unknown } | null)?.name === seg);
    else if (node !== null && typeof node === "object" && Object.prototype.hasOwnProperty.call(node, seg)) node = (node as Record<string, unknown>)[seg];
    else return undefined;
  }
  return node;
}

const MiB = 2 ** 20;

/** The values densim uses where the scenario leaves a field out, for the fields the defaults offer. */
function builtInValue(loaded: LoadedScenario, path: string): ParamValue | undefined {
  const m = /^modes\.([^.]+)\.(overcommit\.cpu|overcommit\.memory|guestOs\.memory|cache)$/.exec(path);
  if (!m) return undefined;
  const mode = resolveWorkload(loaded.scenario, loaded.traces).modes.find((x) => x.name === m[1]);
  if (!mode) return undefined;
  if (m[2] === "overcommit.cpu") return mode.overcommitCpu;
  if (m[2] === "overcommit.memory") return mode.overcommitMemory;
  if (m[2] === "guestOs.memory") return mode.profile.kind === "vm" || mode.profile.kind === "microvm" ? mode.profile.guestOs.memoryBytes : undefined;
  return mode.cache;
}

function declaredParam(loaded: LoadedScenario, spec: ExploreParamSpec, index: number): ExploreParam {
  const unit = spec.unit ?? "";
  const found = valueAt(loaded.scenario, spec.path) ?? builtInValue(loaded, spec.path);
  if (spec.values !== undefined) {
    const hit = spec.values.find((v) => v === found);
    return { path: spec.path, label: spec.label ?? spec.path, kind: "choice", min: 0, max: 0, step: 1, unit, values: spec.values, initial: hit ?? (spec.values[0] as ParamValue), known: hit !== undefined, declared: index };
  }
  const min = spec.min as number;
  const max = spec.max as number;
  const initial = typeof found === "number" ? Number((found / unitFactor(unit)).toPrecision(12)) : min;
  return { path: spec.path, label: spec.label ?? spec.path, kind: "range", min, max, step: spec.step ?? niceStep(max - min), unit, values: [], initial, known: typeof found === "number", declared: index };
}

function range(path: string, label: string, initial: number, min: number, max: number, step: number, unit = ""): ExploreParam {
  return { path, label, kind: "range", min: Math.min(min, initial), max: Math.max(max, initial), step, unit, values: [], initial, known: true, declared: -1 };
}

/** The defaults: what a capacity talk usually moves. Mode fields only when the scenario names its modes. */
function defaultParams(loaded: LoadedScenario): ExploreParam[] {
  const s = loaded.scenario;
  const out: ExploreParam[] = [];
  for (const a of s.apps) {
    if (a.replicas === undefined) continue; // a job queue, not a service
    const max = Math.max(10, a.replicas * 3);
    out.push(range(`apps.${a.name}.replicas`, `${a.name} replicas`, a.replicas, 0, max, max <= 200 ? 1 : niceStep(max)));
  }
  s.hosts.forEach((h, i) => {
    out.push(range(`hosts.${i}.count`, `${h.type} hosts`, h.count, s.hosts.length > 1 ? 0 : 1, Math.max(8, h.count * 4), 1));
  });
  if (s.modes !== undefined) {
    for (const mode of resolveWorkload(s, loaded.traces).modes) {
      out.push(range(`modes.${mode.name}.overcommit.cpu`, `${mode.name}: CPU overcommit`, mode.overcommitCpu, 1, 4, 0.25));
      if (mode.kind === "vm" || mode.kind === "microvm") {
        out.push(range(`modes.${mode.name}.overcommit.memory`, `${mode.name}: memory overcommit`, mode.overcommitMemory, 1, 2, 0.1));
        if (mode.profile.kind === "vm" || mode.profile.kind === "microvm")
          out.push(range(`modes.${mode.name}.guestOs.memory`, `${mode.name}: guest OS memory`, mode.profile.guestOs.memoryBytes / MiB, 64, 4096, 64, "MiB"));
      }
      if (mode.kind === "container") {
        out.push({ path: `modes.${mode.name}.cache`, label: `${mode.name}: image cache`, kind: "choice", min: 0, max: 0, step: 1, unit: "", values: ["cold", "warm"], initial: mode.cache, known: true, declared: -1 });
      }
    }
  }
  out.push(range("registry.bandwidth", "registry bandwidth", Number(((s.registry.bandwidth * 8) / 1e6).toPrecision(12)), 100, 10_000, 100, "Mbit/s"));
  return out;
}

/** The scenario's declared parameters, or the defaults. */
export function exploreParams(loaded: LoadedScenario): ExploreParam[] {
  const declared = loaded.scenario.explore?.params;
  return declared ? declared.map((p, i) => declaredParam(loaded, p, i)) : defaultParams(loaded);
}

/** The values a parameter's extremes take: what the start-up check loads once each. */
export function extremes(p: ExploreParam): ParamValue[] {
  return p.kind === "choice" ? [...p.values] : [p.min, p.max];
}

/**
 * A client's value for a parameter, checked: a number within [min, max] for a slider (a numeric
 * string is accepted), one of `values` for a choice. Returns the value or a message.
 */
export function checkValue(p: ExploreParam, raw: unknown): { ok: true; value: ParamValue } | { ok: false; message: string } {
  const found = typeof raw === "string" ? JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw) : raw === null || typeof raw === "object" ? (Array.isArray(raw) ? "a list" : String(raw === null ? "null" : "an object")) : String(raw);
  if (p.kind === "choice") {
    const hit = p.values.find((v) => v === raw || (typeof raw === "string" && String(v) === raw));
    return hit === undefined ? { ok: false, message: `${p.path}: expected one of ${p.values.map(String).join(", ")}, found ${found}` } : { ok: true, value: hit };
  }
  const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n)) return { ok: false, message: `${p.path}: expected a number from ${numberText(p.min)} to ${numberText(p.max)}${p.unit ? ` (${p.unit})` : ""}, found ${found}` };
  const slack = p.step * 1e-9;
  if (n < p.min - slack || n > p.max + slack)
    return { ok: false, message: `${p.path}: expected a number from ${numberText(p.min)} to ${numberText(p.max)}${p.unit ? ` (${p.unit})` : ""}, found ${numberText(n)}` };
  return { ok: true, value: n };
}

/**
 * The `--set` expressions for a client's values (path -> value), in the parameters' order, leaving
 * out values equal to a parameter's initial one (the scenario as written); or the problems found.
 */
export function setsFor(params: readonly ExploreParam[], values: unknown): { ok: true; sets: string[] } | { ok: false; problems: string[] } {
  if (values === null || typeof values !== "object" || Array.isArray(values)) return { ok: false, problems: ["values: expected an object of parameter path -> value"] };
  const problems: string[] = [];
  const given = values as Record<string, unknown>;
  for (const key of Object.keys(given).sort()) {
    if (!params.some((p) => p.path === key)) {
      const shown = key.length > 80 ? `${key.slice(0, 80)}…` : key;
      problems.push(`${JSON.stringify(shown)}: expected one of the explorer's parameters (${params.map((p) => p.path).join(", ")}), found no parameter of that path`);
    }
  }
  const sets: string[] = [];
  for (const p of params) {
    if (!Object.prototype.hasOwnProperty.call(given, p.path)) continue;
    const r = checkValue(p, given[p.path]);
    if (!r.ok) problems.push(r.message);
    else if (!(p.known && r.value === p.initial)) sets.push(setExpression(p, r.value));
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, sets };
}
