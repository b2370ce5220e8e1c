/**
 * Loads a scenario from YAML or JSON text: parses with source positions, applies `--set`
 * overrides, validates with the schema and the cross-field checks, and returns either the
 * scenario in SI units or every issue found, each with file:line:col and the field's path.
 */
import { createHash } from "node:crypto";
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parse as parseYaml, parseDocument, visit, type Node } from "yaml";
import type { z } from "zod";
import { describeFound, formatPath, type IssuePath, type ScenarioIssue } from "./issues.js";
import { scenarioSchema, type Scenario } from "./schema.js";
import { semanticIssues, type RawIssue } from "./semantics.js";
import { readTrace, type TraceData } from "./traces.js";
import { MAX_SCENARIO_BYTES, readTextFile } from "./files.js";
import { MAX_QUANTITY } from "./units.js";
import { licenceSpecProblems, PRESETS } from "../cost/index.js";
import { toLicenceSpec } from "./licences.js";
import { allowedKeys, descriptionOf, schemaAt } from "./zod-walk.js";

export interface LoadOptions {
  /** `path=value` overrides, applied in order; values are YAML (`1GiB`, `4`, `[80, 443]`). */
  readonly sets?: readonly string[];
  readonly seed?: number;
  readonly replications?: number;
  /**
   * Checks a higher layer adds, run on the raw document beside the schema's and reported the same
   * way (file:line:col): SLO metric names and their units, which the experiment layer knows.
   */
  readonly checks?: readonly ScenarioCheck[];
  /** Checks of the scenario once it is valid (LoadedCheck). */
  readonly validChecks?: readonly LoadedCheck[];
}

/** A cross-field check on the raw parsed document (read defensively: it may be invalid elsewhere). */
export type ScenarioCheck = (raw: unknown) => readonly RawIssue[];

/**
 * A check of a valid scenario (the CLI's size estimate against its limits), run last; its issues
 * get positions like the loader's own.
 */
export type LoadedCheck = (loaded: Omit<LoadedScenario, "where">) => readonly RawIssue[];

/** Deepest nesting of mappings and lists accepted: scenarios need about 8. */
export const MAX_NESTING = 64;
/** Aliases (`*name`) a scenario may expand: a few are handy, thousands are an alias bomb. */
export const MAX_ALIASES = 100;

export interface LoadedScenario {
  readonly ok: true;
  readonly scenario: Scenario;
  readonly file: string;
  /** sha256 of the effective scenario (after overrides) and its traces, 16 hex digits. */
  readonly hash: string;
  /** CSV traces by `load:<app>` and `arrivals:<app>`. */
  readonly traces: ReadonlyMap<string, TraceData>;
  /** The `--set` overrides applied (seed and replications flags included), in order, as written. */
  readonly overrides: readonly string[];
  /** The question the scenario asks: its leading comment block, comment marks removed ("" if none). */
  readonly question: string;
  /**
   * The effective scenario as YAML (the file with every override applied): what was run. Written
   * out when first read (a sweep's points never read it: 0.8 ms a point of quickstart.yaml).
   */
  readonly effectiveText: string;
  /** Where a field is, for messages: `file:line:col` or the `--set` that set it. */
  readonly where: (path: IssuePath) => string;
}

export type LoadResult = LoadedScenario | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

export function loadScenarioFile(file: string, options: LoadOptions = {}): LoadResult {
  const read = readTextFile(file, MAX_SCENARIO_BYTES);
  if (!read.ok) {
    const where = read.line === undefined ? `${file}:1:1` : `${file}:${read.line}:${read.col ?? 1}`;
    return { ok: false, issues: [{ code: "file", where, path: "(scenario)", message: `expected a scenario file (${read.expected}), found ${read.found}` }] };
  }
  return loadScenarioText(read.text, file, options);
}

interface Override {
  readonly path: IssuePath;
  readonly text: string;
}

/** A scenario text parsed into a YAML document whose top is a mapping, with its positions. */
interface Parsed {
  readonly text: string;
  readonly file: string;
  /** Never changed: a load that applies overrides applies them to a clone. */
  readonly doc: Document;
  readonly where: (offset: number) => string;
}

/**
 * The last text parsed, kept: a sweep loads the same file once per point and a plan once per probe,
 * each with other overrides, and cloning the document costs about a third of parsing it again.
 */
let lastParsed: Parsed | undefined;

/** Parses `text` (or takes the last parse of the same text and file) into a document, or its syntax and structure issues. */
function parseScenarioText(text: string, file: string): Parsed | { readonly ok: false; readonly issues: readonly ScenarioIssue[] } {
  if (lastParsed !== undefined && lastParsed.text === text && lastParsed.file === file) return lastParsed;
  const lineCounter = new LineCounter();
  const where = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const language = /json$/i.test(file) ? "JSON/YAML" : "YAML";
  const tooDeep = nestingIssue(text, file);
  if (tooDeep) return { ok: false, issues: [tooDeep] };
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    // The parser recurses: nesting deep enough to exhaust the stack is refused, not a crash.
    return { ok: false, issues: [{ code: "syntax", where: `${file}:1:1`, path: "(scenario)", message: `expected valid ${language}, found a document the parser cannot read (${firstLine((e as Error).message)})` }] };
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({
        code: "syntax",
        where: where(e.pos[0]),
        path: "(scenario)",
        message: `expected valid ${language}, found a syntax error: ${firstLine(e.message)}`,
      })),
    };
  }
  const structural = structureIssues(doc, where);
  if (structural.length > 0) return { ok: false, issues: structural };
  if (!isMap(doc.contents)) {
    const found = toJs(doc, where);
    if (!found.ok) return { ok: false, issues: [found.issue] };
    return {
      ok: false,
      issues: [{ code: "type", where: where(0), path: "(scenario)", message: `expected a mapping of scenario fields, found ${describeFound(found.value)}` }],
    };
  }
  lastParsed = { text, file, doc, where };
  return lastParsed;
}

export function loadScenarioText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const source = parseScenarioText(text, file);
  if (!("doc" in source)) return source;
  const where = source.where;
  const sets = [...(options.sets ?? [])];
  if (options.seed !== undefined) sets.push(`seed=${options.seed}`);
  if (options.replications !== undefined) sets.push(`replications=${options.replications}`);
  const doc = sets.length > 0 ? source.doc.clone() : source.doc;

  const overrides: Override[] = [];
  const issues: ScenarioIssue[] = [];
  for (const expr of sets) {
    const applied = applySet(doc, expr);
    if (typeof applied === "string") issues.push({ code: "set", where: `--set ${expr}`, path: expr.split("=")[0] || "(scenario)", message: applied });
    else overrides.push({ path: applied, text: expr });
  }
  if (issues.length > 0) return { ok: false, issues };

  const setIssues = structureIssues(doc, where);
  if (setIssues.length > 0) return { ok: false, issues: setIssues };
  const js = toJs(doc, where);
  if (!js.ok) return { ok: false, issues: [js.issue] };
  const raw = js.value;
  const locate = (path: IssuePath, key?: string): string => {
    const full = key === undefined ? path : [...path, key];
    // The last override of a field is the one that took effect.
    for (let k = overrides.length - 1; k >= 0; k--) {
      const o = overrides[k] as Override;
      if (o.path.length <= full.length && o.path.every((seg, i) => seg === full[i])) return `--set ${o.text}`;
    }
    return where(offsetOf(doc, path, key));
  };

  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of flattenIssues(parsed.error.issues)) issues.push(...toScenarioIssues(issue, raw, locate));
  }
  for (const r of semanticIssues(raw)) issues.push(fromRaw(r, locate));
  for (const r of magnitudeIssues(raw)) issues.push(fromRaw(r, locate));
  for (const check of options.checks ?? []) for (const r of check(raw)) issues.push(fromRaw(r, locate));
  if (issues.length > 0 || !parsed.success) return { ok: false, issues: dedupe(issues) };

  const scenario = nullPrototypeMaps(inSourceOrder(parsed.data, raw));
  issues.push(...licenceIssues(scenario, locate));
  if (issues.length > 0) return { ok: false, issues: dedupe(issues) };

  const traces = new Map<string, TraceData>();
  scenario.apps.forEach((a, i) => {
    const wanted: [string, string | undefined, ("time" | "cores")[], IssuePath][] = [
      [`load:${a.name}`, a.load?.pattern === "trace" ? a.load.file : undefined, ["time", "cores"], ["apps", i, "load", "file"]],
      [`arrivals:${a.name}`, a.arrivals?.process === "trace" ? a.arrivals.file : undefined, ["time"], ["apps", i, "arrivals", "file"]],
    ];
    for (const [key, traceFile, columns, path] of wanted) {
      if (traceFile === undefined) continue;
      const t = readTrace(file, traceFile, columns, formatPath(path), locate(path));
      if (Array.isArray(t)) issues.push(...t);
      else traces.set(key, t);
    }
  });
  if (issues.length > 0) return { ok: false, issues };

  // Trace contents are part of what the run depends on, so they are part of the hash.
  const hash = createHash("sha256").update(JSON.stringify(raw)).update(JSON.stringify([...traces])).digest("hex").slice(0, 16);
  let effective: string | undefined;
  const loaded: LoadedScenario = {
    ok: true,
    scenario,
    file,
    hash,
    traces,
    overrides: overrides.map((o) => o.text),
    question: leadingComment(text),
    get effectiveText(): string {
      effective ??= overrides.length > 0 ? doc.toString() : text;
      return effective;
    },
    where: (path) => locate(path),
  };
  for (const check of options.validChecks ?? []) for (const r of check(loaded)) issues.push(fromRaw(r, locate));
  if (issues.length > 0) return { ok: false, issues: dedupe(issues) };
  return loaded;
}

/** The document as plain data, with alias expansion bounded: an alias bomb is an issue at its first alias. */
function toJs(doc: Document, where: (offset: number) => string): { ok: true; value: unknown } | { ok: false; issue: ScenarioIssue } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIASES }) };
  } catch (e) {
    let offset = 0;
    visit(doc, { Alias: (_, node) => {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    } });
    return {
      ok: false,
      issue: { code: "aliases", where: where(offset), path: "(scenario)", message: `expected aliases (*name) that expand to a bounded document, found an alias bomb (${firstLine((e as Error).message)})` },
    };
  }
}

/**
 * A cheap look at the text before parsing: brackets nested deeper than MAX_NESTING (the parser
 * recurses, so a document of thousands of `[` would exhaust the stack).
 */
function nestingIssue(text: string, file: string): ScenarioIssue | undefined {
  let depth = 0;
  let line = 1;
  let col = 0;
  let quote: string | undefined;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    col++;
    if (c === "\n") {
      line++;
      col = 0;
      comment = false;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (c === "\\" && quote === '"') i++, col++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1] as string))) comment = true;
    else if (c === "[" || c === "{") {
      if (++depth > MAX_NESTING)
        return { code: "nesting", where: `${file}:${line}:${col}`, path: "(scenario)", message: `expected mappings and lists nested at most ${MAX_NESTING} deep, found deeper nesting` };
    } else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/**
 * Problems in the document's structure, found before it becomes data: nesting deeper than
 * MAX_NESTING, more than MAX_ALIASES aliases (an alias bomb), and `__proto__` as a key (a
 * JavaScript object's prototype, never a field or a name here).
 */
function structureIssues(doc: Document, where: (offset: number) => string): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  let aliases = 0;
  const stack: { node: unknown; depth: number; path: (string | number)[] }[] = [{ node: doc.contents, depth: 0, path: [] }];
  while (stack.length > 0 && out.length < 20) {
    const { node, depth, path } = stack.pop() as { node: unknown; depth: number; path: (string | number)[] };
    const at = (n: unknown): string => where((n as Node | null)?.range?.[0] ?? 0);
    if (isAlias(node)) {
      if (++aliases > MAX_ALIASES) {
        out.push({ code: "aliases", where: at(node), path: formatPath(path), message: `expected at most ${MAX_ALIASES} aliases (*name), found more: an alias bomb would expand without bound` });
        break;
      }
      continue;
    }
    if (depth > MAX_NESTING) {
      out.push({ code: "nesting", where: at(node), path: formatPath(path), message: `expected mappings and lists nested at most ${MAX_NESTING} deep, found deeper nesting` });
      break;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (key === "__proto__")
          out.push({ code: "reserved_key", where: at(pair.key), path: formatPath([...path, "__proto__"]), message: `expected a field or a name, found "__proto__", which is reserved` });
        else if (key !== null && typeof key === "object")
          out.push({ code: "key", where: at(pair.key), path: formatPath(path), message: `expected a plain key (a name or a field), found ${isMap(key) ? "a mapping" : isSeq(key) ? "a list" : "a complex key"}` });
        stack.push({ node: pair.value, depth: depth + 1, path: [...path, String(key)] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, k) => stack.push({ node: item, depth: depth + 1, path: [...path, k] }));
    }
  }
  return out;
}

/** Plain numbers beyond MAX_QUANTITY in magnitude: products of a few would overflow to Infinity. */
function magnitudeIssues(raw: unknown): RawIssue[] {
  const out: RawIssue[] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (typeof v === "number" && Number.isFinite(v) && Math.abs(v) > MAX_QUANTITY)
      out.push({ code: "too_big", path, message: `expected a number of magnitude at most 1e21, found ${describeFound(v)}` });
    else if (Array.isArray(v)) v.forEach((x, k) => walk(x, [...path, k]));
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(raw, []);
  return out;
}

/** Maps keyed by user names (images, modes) without a prototype: a name like `constructor` is only data. */
function nullPrototypeMaps(s: Scenario): Scenario {
  const bare = <T>(o: Record<string, T>): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, o);
  return { ...s, images: bare(s.images), ...(s.modes ? { modes: bare(s.modes as Record<string, unknown>) as Scenario["modes"] } : {}) };
}

const firstLine = (s: string): string => s.split("\n")[0] ?? s;

/**
 * The scenario's header comment without `#` marks, editor directives (`yaml-language-server:`) or
 * the "Run it"/"Try" usage lines: by convention it states the question the scenario answers.
 */
export function leadingComment(text: string): string {
  const lines: string[] = [];
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" && lines.length === 0) continue;
    if (!line.startsWith("#")) break;
    const body = line.replace(/^#+ ?/, "").trimEnd();
    if (/^yaml-language-server:/.test(body)) continue;
    if (/^(Run it|Try|Then try|Plan it):/i.test(body)) break;
    if (body === "" && (lines.length === 0 || lines[lines.length - 1] === "")) continue;
    lines.push(body);
  }
  // Lines of a paragraph join with spaces; a blank comment line separates paragraphs.
  const text2 = lines.join("\n").trim().replace(/([^\n])\n(?=[^\n])/g, "$1 ");
  return text2.replace(/^Question:\s*(.)/, (_, c: string) => c.toUpperCase()).replace(/\s+$/, "");
}

/** Licences must say what they are, and may only name modes the scenario compares. */
function licenceIssues(s: Scenario, locate: (p: IssuePath, key?: string) => string): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  const modes = s.modes ? Object.keys(s.modes) : ["bare", "container", "vm", "microvm"];
  s.licenses.forEach((l, i) => {
    const path: IssuePath = ["licenses", i];
    const issue = (p: IssuePath, code: string, message: string): void => {
      out.push({ code, where: locate(p), path: formatPath(p), message });
    };
    (l.modes ?? []).forEach((m, k) => {
      if (!modes.includes(m))
        issue([...path, "modes", k], "licence_mode", `expected a mode the scenario compares (one of: ${modes.join(", ")}), found ${describeFound(m)}`);
    });
    if (l.preset === undefined && (l.kind === undefined || l.price === undefined)) {
      issue(path, "licence", `expected a preset, or a kind with a price (densim profiles lists the presets), found ${l.kind === undefined ? (l.price === undefined ? "neither" : "a price without a kind") : "a kind without a price"}`);
      return;
    }
    const appNames = s.apps.map((a) => a.name);
    (l.apps ?? []).forEach((a, k) => {
      if (!appNames.includes(a))
        issue([...path, "apps", k], "licence_app", `expected an app of the scenario (one of: ${appNames.join(", ")}), found ${describeFound(a)}`);
    });
    const spec = toLicenceSpec(l, s.cost.amortizeMonths);
    const kind = l.kind ?? (l.preset !== undefined ? PRESETS[l.preset].rule.kind : undefined);
    if (kind === "sql-server-per-core" && (l.apps === undefined || l.apps.length === 0)) {
      issue(path, "licence", "expected apps: [...] naming the apps that run SQL Server (their instances' cores are licensed), found a SQL Server licence without cores to count");
      return;
    }
    for (const problem of licenceSpecProblems(spec)) issue(path, "licence", /^expected .*, found /.test(problem) ? problem : `expected a valid licence, found a problem: ${problem}`);
  });
  return out;
}

/** Modes in the order the file lists them (the schema puts its named keys first). */
function inSourceOrder(s: Scenario, raw: unknown): Scenario {
  const rawModes = (raw as { modes?: unknown }).modes;
  if (!s.modes || typeof rawModes !== "object" || rawModes === null) return s;
  const modes = s.modes as Record<string, unknown>;
  const ordered = Object.fromEntries(Object.keys(rawModes).filter((k) => Object.hasOwn(modes, k)).map((k) => [k, modes[k]]));
  return { ...s, modes: ordered as Scenario["modes"] };
}

function fromRaw(r: RawIssue, locate: (p: IssuePath, key?: string) => string): ScenarioIssue {
  return { code: r.code, where: locate(r.path, r.key), path: formatPath(r.key !== undefined ? [...r.path, r.key] : r.path), message: r.message };
}

/** Drops repeats and orders issues as they appear in the file; --set issues come last, in option order. */
function dedupe(issues: ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  const unique = issues.filter((i) => {
    const k = `${i.where}|${i.path}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const pos = (i: ScenarioIssue): [number, number] => {
    const m = /:(\d+):(\d+)$/.exec(i.where);
    return m && !i.where.startsWith("--set") ? [Number(m[1]), Number(m[2])] : [Infinity, 0];
  };
  // Array.prototype.sort is stable: equal positions keep discovery order.
  return unique.sort((a, b) => {
    const [la, ca] = pos(a);
    const [lb, cb] = pos(b);
    return la === lb ? ca - cb : la < lb ? -1 : 1;
  });
}

/** The source offset of the node at `path` (or of its key `key`), falling back to the deepest ancestor found. */
function offsetOf(doc: Document, path: IssuePath, key?: string): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  const segments: (string | number)[] = key === undefined ? [...path] : [...path, key];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string | number;
    const isKeyLookup = key !== undefined && i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const k = pair.key as Node;
      if (isKeyLookup) return k.range?.[0] ?? offset;
      const v = pair.value as Node | null;
      if (v && v.range) {
        node = v;
        offset = v.range[0];
      } else {
        offset = k.range?.[0] ?? offset;
        break;
      }
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as Node | undefined;
      if (!item || !item.range) break;
      node = item;
      offset = item.range[0];
    } else break;
  }
  return offset;
}

/** Top-level mappings whose keys contain dots (metric names): `--set slo.apps.web.slowdown.p99=2`. */
const DOTTED_KEYS: readonly string[] = ["slo"];

/** Applies one `--set path=value`, returning the resolved path or a message. */
function applySet(doc: Document, expr: string): IssuePath | string {
  const eq = expr.indexOf("=");
  if (eq <= 0) return `expected key=value, e.g. --set modes.vm.guestOs.memory=1GiB, found ${describeFound(expr)}`;
  const keyText = expr.slice(0, eq).trim();
  let value: unknown;
  try {
    value = parseYaml(expr.slice(eq + 1));
  } catch (e) {
    return `expected a YAML value, found ${describeFound(expr.slice(eq + 1))} (${firstLine((e as Error).message)})`;
  }
  const segs = keyText.split(".");
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as string;
    if (seg === "") return `expected a path of dot-separated fields, found an empty segment in ${describeFound(keyText)}`;
    if (seg === "__proto__") return `expected a path of fields, found "__proto__", which is reserved`;
    if (path.length === 1 && DOTTED_KEYS.includes(path[0] as string) && (isMap(node) || node === undefined)) {
      // The rest is one key: slo.startup.p95 names the objective "startup.p95".
      path.push(segs.slice(i).join("."));
      break;
    }
    const last = i === segs.length - 1;
    if (isSeq(node)) {
      let index: number;
      if (/^[0-9]+$/.test(seg)) index = Number(seg);
      else {
        // A list of named things (apps) can be addressed by name: apps.orders.replicas.
        index = node.items.findIndex((it) => isMap(it) && it.get("name") === seg);
        if (index < 0) return `expected an index or the name of an item of ${formatPath(path)}, found ${describeFound(seg)}`;
      }
      if (index >= node.items.length) return `expected an index below ${node.items.length} (the items of ${formatPath(path)}), found ${index}`;
      path.push(index);
      node = node.items[index];
    } else if (isMap(node) || node === null || node === undefined) {
      path.push(seg);
      node = isMap(node) ? node.get(seg, true) : undefined;
    } else {
      return `expected ${formatPath(path)} to be a mapping or list with a field ${describeFound(seg)}, found a value`;
    }
    if (!last && node !== undefined && !isMap(node) && !isSeq(node)) {
      return `expected ${formatPath(path)} to be a mapping or list with a field ${describeFound(segs[i + 1])}, found a value`;
    }
  }
  doc.setIn(path, doc.createNode(value));
  return path;
}

type ZodIssue = z.core.$ZodIssue;

/** Replaces each union failure by the issues of the branch that matched the input's shape best. */
function flattenIssues(issues: readonly ZodIssue[]): ZodIssue[] {
  const out: ZodIssue[] = [];
  for (const issue of issues) {
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // A branch whose only complaint is the input's type did not match its shape: prefer the others.
      const shaped = issue.errors.filter((branch) => !isShapeMismatch(branch));
      if (shaped.length > 0) {
        const best = shaped.reduce((a, b) => (b.length < a.length ? b : a));
        out.push(...flattenIssues(best.map((b) => ({ ...b, path: [...issue.path, ...b.path] }) as ZodIssue)));
        continue;
      }
    }
    out.push(issue);
  }
  return out;
}

/** True when a union branch failed only because the input had another type at its root. */
function isShapeMismatch(branch: readonly ZodIssue[]): boolean {
  return branch.every(
    (b) =>
      b.path.length === 0 &&
      (b.code === "invalid_type" || (b.code === "invalid_union" && b.errors.every((e) => isShapeMismatch(e)))),
  );
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
};

function valueAt(root: unknown, path: IssuePath): unknown {
  let v = root;
  for (const seg of path) v = v && typeof v === "object" && Object.hasOwn(v, seg) ? (v as Record<string | number, unknown>)[seg] : undefined;
  return v;
}

function toScenarioIssues(issue: ZodIssue, raw: unknown, locate: (p: IssuePath, key?: string) => string): ScenarioIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const found = valueAt(raw, path);
  const schema = schemaAt(scenarioSchema, path, raw);
  const desc = descriptionOf(schema);
  const mk = (message: string, code: string = issue.code): ScenarioIssue => ({ code, where: locate(path), path: formatPath(path), message });
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedKeys(schemaAt(scenarioSchema, path, raw));
      return issue.keys.map((key) => ({
        code: "unknown_field",
        where: locate(path, key),
        path: formatPath([...path, key]),
        message: `expected ${allowed ? `a field of ${formatPath(path)} (one of: ${allowed.join(", ")})` : "a known field"}, found unknown field ${describeFound(key)}${Object.hasOwn(FIELD_HINTS, key) ? FIELD_HINTS[key] : suggest(key, allowed)}`,
      }));
    }
    case "invalid_type": {
      if (found === undefined) return [mk(`expected ${TYPE_NAMES[issue.expected] ?? issue.expected}${desc ? ` (${desc})` : ""}, found nothing: the field is required`, "missing")];
      return [mk(`expected ${TYPE_NAMES[issue.expected] ?? issue.expected}${desc ? ` (${desc})` : ""}, found ${describeFound(found)}`)];
    }
    case "too_small":
    case "too_big": {
      // A bound with its own words (a name's length) says them.
      if (issue.message.startsWith("expected ")) return [mk(`${issue.message}, found ${describeFound(found)}`)];
      const op = issue.code === "too_small" ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const what = issue.origin === "array" ? `a list with ${op} ${String(bound)} items` : `a value ${op} ${String(bound)}`;
      return [mk(`expected ${what}, found ${describeFound(found)}`)];
    }
    case "invalid_value":
      return [mk(`expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}, found ${describeFound(found)}`)];
    case "invalid_union":
      if (found === undefined) return [mk(`expected ${desc ?? "a value"}, found nothing: the field is required`, "missing")];
      if ("discriminator" in issue && issue.discriminator) {
        return [mk(`expected ${String(issue.discriminator)} to be one of the allowed values, found ${describeFound(found)}`)];
      }
      return [mk(`expected ${desc ?? "another kind of value"}, found ${describeFound(found)}`)];
    case "invalid_format":
    case "custom":
    default: {
      const msg = issue.message.startsWith("expected") ? issue.message : `expected ${desc ?? "a valid value"} (${issue.message})`;
      return [mk(`${msg}, found ${describeFound(found)}`)];
    }
  }
}

/** ", did you mean X?" for a near miss (edit distance <= 2). */
/** Why a field known elsewhere is unknown here (container-only fields in a VM or bare mode). */
const FIELD_HINTS: Readonly<Record<string, string>> = {
  pull: "; pull (eager or lazy) applies only to container modes: a VM boots its disk and a process runs from the host's",
  lazyReadShare: "; lazyReadShare applies only to container modes (pull: lazy)",
  createDisk: "; createDisk applies only to container modes",
};

function suggest(key: string, allowed: readonly string[] | undefined): string {
  if (!allowed) return "";
  let best: string | undefined;
  let bestD = 3;
  for (const a of allowed) {
    const d = editDistance(key.toLowerCase(), a.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best ? `; did you mean ${JSON.stringify(best)}?` : "";
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number;
      prev[j] = Math.min((prev[j] as number) + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length] as number;
}
