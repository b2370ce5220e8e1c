/**
 * fast-check arbitraries for the fuzzer: mutations of the bundled scenarios (delete a field,
 * retype it, extreme numbers, prototype names as keys and values, unicode, long strings, deep
 * nesting, stray characters in the text) and random valid scenarios.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { parse, stringify } from "yaml";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SCENARIOS = join(ROOT, "scenarios");

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A bundled scenario made quick to run: one replication, a short horizon, few replicas. */
function quick(s: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = { ...s, replications: 1, horizon: "2m" };
  // Two modes are enough to mutate; each one more costs a run and its charts.
  if (s.modes !== null && typeof s.modes === "object" && !Array.isArray(s.modes)) out.modes = Object.fromEntries(Object.entries(s.modes).slice(0, 2));
  if (Array.isArray(s.apps))
    out.apps = s.apps.map((a) => {
      if (a === null || typeof a !== "object" || Array.isArray(a)) return a;
      const app = { ...a };
      if (typeof app.replicas === "number") app.replicas = Math.min(app.replicas, 2);
      return app;
    });
  if (Array.isArray(s.hosts))
    out.hosts = s.hosts.map((h) => (h !== null && typeof h === "object" && !Array.isArray(h) && typeof h.count === "number" ? { ...h, count: Math.min(h.count, 2) } : h));
  return out;
}

export const BUNDLED: readonly { name: string; data: Record<string, Json> }[] = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => ({ name: f, data: quick(parse(readFileSync(join(SCENARIOS, f), "utf8")) as Record<string, Json>) }));

/** Names every JavaScript object inherits, plus words that are special elsewhere. */
export const PROTO_NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype", "if", "isPrototypeOf"];

/** Markers replaced in the YAML text by what stringify cannot write. */
const RAW: Readonly<Record<string, string>> = { RAWMARK_1E400: "1e400", RAWMARK_NEG1E400: "-1e400", RAWMARK_NAN: ".nan", RAWMARK_INF: ".inf" };

const deep = (depth: number, leaf: Json): Json => {
  let v: Json = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
};

export const valueArb: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(0, -1, 1, 0.5, 1e308, -1e308, 1e18, 1e19, 2 ** 53, 1e-300, 10000000, 1000000000, "RAWMARK_1E400", "RAWMARK_NEG1E400", "RAWMARK_NAN", "RAWMARK_INF"),
  fc.constantFrom<Json>("0s", "0", "0ms", "1ms", "-1s", "1e400s", "7d", "0B/s", "0Gbit/s", "1e6/s", "0/s", "1e308GiB", "NaN", "Infinity", "1e308", "auto", "unlimited"),
  fc.constantFrom<Json>(...PROTO_NAMES),
  fc.constantFrom<Json>(null, true, false, [], {}, "", " ", "x".repeat(300), "a\u0000b", "\u001b[31mred\u001b[0m", "tab\there", "line\nbreak", "é✓😀", "\u202etxt"),
  fc.integer({ min: -5, max: 100 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.integer({ min: 2, max: 120 }).map((d) => deep(d, 1)),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 4 }),
  fc.dictionary(fc.constantFrom("a", "kind", "pattern", "dist", "constructor", "__proto__"), fc.oneof(fc.integer(), fc.constantFrom<Json>("vm", "bursty", "uniform")), { maxKeys: 3 }),
);

export const keyArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PROTO_NAMES),
  fc.constantFrom("x", "name", "kind", "x".repeat(300), "é", "😀", "a b", "UPPER", "vm", "bare", "container", "microvm", "-x", "0", ""),
  fc.string({ maxLength: 10 }),
);

/** Extreme but well-typed values for a number or a quantity with a unit ("tweak"): most keep the scenario valid. */
export const TWEAK_NUMBERS: readonly Json[] = [0, 1, 2, 0.001, 1e-9, 1e6, 1e9, 1e18, 1e308, 2 ** 31, 100000, 100001, 0.1];
export const TWEAK_QUANTITIES: readonly Json[] = ["0s", "1ms", "1e-9s", "1000d", "30d", "0B", "1B", "1e6GiB", "1e12TB", "1B/s", "1e12Gbit/s", "1e6/s", "1/d", "1e-9/s", "7d", "1e21B"];

export interface Mutation {
  readonly op: "delete" | "set" | "rename" | "add" | "tweak";
  /** Which path (modulo the number of paths in the document). */
  readonly at: number;
  readonly value: Json;
  readonly key: string;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom("delete", "set", "set", "rename", "add", "tweak", "tweak", "tweak", "tweak"),
  at: fc.nat(),
  value: valueArb,
  key: keyArb,
});

type Container = Json[] | { [k: string]: Json };
const isContainer = (v: Json): v is Container => v !== null && typeof v === "object";

/** Every [parent, key] in the document, depth first, in a fixed order. */
function slots(root: Container): [Container, string | number][] {
  const out: [Container, string | number][] = [];
  const walk = (c: Container): void => {
    const keys: (string | number)[] = Array.isArray(c) ? c.map((_, i) => i) : Object.keys(c);
    for (const k of keys) {
      out.push([c, k]);
      const child = (c as Record<string | number, Json>)[k] as Json;
      if (isContainer(child)) walk(child);
    }
  };
  walk(root);
  return out;
}

const setOwn = (o: Record<string, Json>, k: string, v: Json): void => {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
};

/** Applies `m` to a deep copy of `doc`. */
export function mutate(doc: Record<string, Json>, mutations: readonly Mutation[]): Record<string, Json> {
  const root = structuredClone(doc);
  for (const m of mutations) {
    if (m.op === "tweak") {
      const scalars = slots(root).filter(([p, k]) => {
        const v = (p as Record<string | number, Json>)[k];
        return typeof v === "number" || (typeof v === "string" && /^[0-9]/.test(v));
      });
      if (scalars.length === 0) continue;
      const [p, k] = scalars[m.at % scalars.length] as [Container, string | number];
      const pool = typeof (p as Record<string | number, Json>)[k] === "number" ? TWEAK_NUMBERS : TWEAK_QUANTITIES;
      (p as Record<string | number, Json>)[k] = pool[Math.floor(m.at / scalars.length) % pool.length] as Json;
      continue;
    }
    const all = slots(root);
    if (all.length === 0) continue;
    const [parent, key] = all[m.at % all.length] as [Container, string | number];
    const value = structuredClone(m.value);
    if (Array.isArray(parent)) {
      const i = key as number;
      if (m.op === "delete") parent.splice(i, 1);
      else if (m.op === "add") parent.splice(i, 0, value);
      else parent[i] = value;
      continue;
    }
    const k = key as string;
    if (m.op === "delete") delete parent[k];
    else if (m.op === "set") setOwn(parent, k, value);
    else if (m.op === "rename") {
      const v = parent[k] as Json;
      delete parent[k];
      setOwn(parent, m.key, v);
    } else setOwn(parent, m.key, value);
  }
  return root;
}

/** The YAML text of a (mutated) scenario, with the raw markers written as YAML cannot write them. */
export function toYaml(doc: unknown): string {
  let text = stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 });
  for (const [marker, raw] of Object.entries(RAW)) text = text.replaceAll(`"${marker}"`, raw).replaceAll(marker, raw);
  return text;
}

/** A character put somewhere in the text: control characters, quotes, brackets, anchors. */
export const textEditArb = fc.record({
  at: fc.nat(),
  insert: fc.constantFrom("\u0000", "\u001b", "\t", "\r", "\u2028", "\uFEFF", "&", "*", "!", "%", "[", "{", "'", '"', "#", ":", "- ", "\\", "<<: *a\n"),
});

export interface MutatedCase {
  readonly scenario: string;
  readonly mutations: readonly Mutation[];
  readonly textEdit: { at: number; insert: string } | null;
}

export const mutatedCaseArb: fc.Arbitrary<MutatedCase> = fc.record({
  scenario: fc.constantFrom(...BUNDLED.map((b) => b.name)),
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
  textEdit: fc.option(textEditArb, { freq: 10 }),
});

export function caseText(c: MutatedCase): string {
  const base = BUNDLED.find((b) => b.name === c.scenario)?.data ?? {};
  let text = toYaml(mutate(base, c.mutations));
  if (c.textEdit) {
    const at = c.textEdit.at % (text.length + 1);
    text = text.slice(0, at) + c.textEdit.insert + text.slice(at);
  }
  return text;
}

const duration = (min: number, max: number, unit: "s" | "ms" | "m") => fc.integer({ min, max }).map((n) => `${n}${unit}`);

const serviceArb = fc.record({
  kind: fc.constant("service"),
  replicas: fc.integer({ min: 0, max: 3 }),
  cpu: fc.constantFrom(0.1, 0.25, 0.5, 1, 2, 4),
  memory: fc.constantFrom("64MiB", "512MiB", "2GiB", "8GiB"),
  init: fc.oneof(duration(0, 20, "s"), fc.constant({ dist: "exponential", mean: "3s" }), fc.constant({ dist: "uniform", min: "1s", max: "4s" })),
  load: fc.option(
    fc.oneof(
      fc.record({ pattern: fc.constant("constant"), cores: fc.constantFrom(0, 0.2, 1) }),
      fc.record({ pattern: fc.constant("diurnal"), mean: fc.constant(0.2), peak: fc.constant(0.8), period: duration(1, 60, "m") }),
      fc.record({ pattern: fc.constant("bursty"), base: fc.constant(0.1), burst: fc.constant(1), on: duration(1, 60, "s"), off: duration(1, 300, "s") }),
      fc.record({ pattern: fc.constant("spikes"), base: fc.constant(0.1), spike: fc.constant(2), every: duration(60, 600, "s"), duration: duration(1, 60, "s") }),
    ),
    { nil: undefined },
  ),
  image: fc.option(fc.constantFrom("base", "app"), { nil: undefined }),
  os: fc.constant("linux"),
});

const jobArb = fc.record({
  kind: fc.constant("job"),
  arrivals: fc.oneof(
    fc.record({ process: fc.constant("poisson"), rate: fc.constantFrom("1/m", "10/h", "0.2/s") }),
    fc.record({ process: fc.constant("interval"), every: duration(5, 600, "s") }),
  ),
  work: fc.oneof(duration(1, 120, "s"), fc.constant({ dist: "lognormal", mean: "30s", sd: "10s" })),
  cpu: fc.constantFrom(0.5, 1, 2),
  memory: fc.constantFrom("256MiB", "1GiB"),
});

/** Random scenarios that follow the schema: several hosts, services and jobs, some modes. */
export const validScenarioArb = fc
  .record({
    name: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/),
    title: fc.option(fc.string({ unit: "grapheme", maxLength: 30 }).filter((s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s)), { nil: undefined }),
    seed: fc.integer({ min: 0, max: 1000 }),
    horizon: duration(1, 5, "m"),
    hosts: fc.array(
      fc.record({ count: fc.integer({ min: 1, max: 2 }), cores: fc.constantFrom(4, 16, 64), memory: fc.constantFrom("16GiB", "64GiB", "512GiB") }),
      { minLength: 1, maxLength: 3 },
    ),
    apps: fc.array(fc.oneof({ weight: 3, arbitrary: serviceArb }, { weight: 1, arbitrary: jobArb }), { minLength: 1, maxLength: 3 }),
    modes: fc.subarray(["bare", "container", "vm", "microvm", "vm-big"], { minLength: 1, maxLength: 2 }),
    policy: fc.constantFrom("first-fit", "best-fit", "worst-fit", "ffd", "bfd"),
    step: fc.option(duration(10, 120, "s"), { nil: undefined }),
  })
  .map((r) => {
    const clean = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
    return {
      version: 1,
      name: r.name,
      ...(r.title === undefined ? {} : { title: r.title }),
      seed: r.seed,
      horizon: r.horizon,
      replications: 1,
      hosts: r.hosts.map((h, i) => ({ type: `h${i}`, ...h })),
      images: { base: { layers: [{ digest: "os", size: "40MiB" }] }, app: { from: "base", layers: [{ digest: "app", size: "20MiB" }] } },
      apps: r.apps.map((a, i) => clean({ name: `a${i}`, ...a })),
      modes: Object.fromEntries(r.modes.map((m) => [m, m === "vm-big" ? { kind: "vm", overcommit: { cpu: 2 } } : {}])),
      placement: { policy: r.policy },
      ...(r.step === undefined ? {} : { sampling: { step: r.step } }),
    };
  });
