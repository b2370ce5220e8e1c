/**
 * Reading a results.json back: a zod schema of the results contract (results.ts), so a corrupt,
 * hand-edited or newer file is refused with the field's path and what was expected and found,
 * never half-read. Any command that reads results (diff, merge, report) parses through here.
 *
 * Versions: 2 is read as is. 1 (before provenance: no scenario file, question, overrides, modes
 * or text, no SLOs) is read too, with `provenance: false` so readers show those as unknown rather
 * than as empty. A version newer than RESULTS_SCHEMA_VERSION is refused: its meaning may differ.
 */
import { z } from "zod";
import type { ScenarioIssue } from "../scenario/issues.js";
import { describeFound } from "../scenario/issues.js";
import { MODE_KINDS, type ModeKind } from "../model/profiles.js";
import { RESULTS_SCHEMA_VERSION, type Results } from "./results.js";

/** JSON has no NaN: JSON.stringify writes null, so null reads back as NaN ("no figure"). */
const num = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const count = z.number().int().nonnegative();

export const metricSummarySchema = z.object({ mean: num, sd: num, lo: num, hi: num, n: count });

const modeKind = z.enum(MODE_KINDS as [ModeKind, ...ModeKind[]]);

const runSchema = z.object({
  replication: count,
  seed: z.number(),
  metrics: z.record(z.string(), num),
  hostInstances: z.array(count),
  rejections: z.array(z.object({ app: z.string(), count, reason: z.string() })),
  apps: z.record(z.string(), z.record(z.string(), num)),
});

const cpuSeriesSchema = z.object({ timesS: z.array(num), series: z.array(z.string()), values: z.array(z.array(num)), capacityCores: num });

const modeSchema = z.object({
  kind: modeKind,
  profile: z.string(),
  overcommit: z.object({ cpu: num, memory: num }).optional(),
  summary: z.record(z.string(), metricSummarySchema),
  startupQuantiles: z.array(num),
  readyCurve: z.array(z.tuple([num, num])),
  failures: z.object({ readySteps: z.array(z.tuple([num, num])), timesS: z.array(num), recoveryS: z.array(num) }).optional(),
  slowdownQuantiles: z.array(num),
  cpuSeries: cpuSeriesSchema,
  startupCpuSeries: cpuSeriesSchema,
  memorySeries: z.object({
    timesS: z.array(num),
    groups: z.array(z.object({ name: z.string(), hosts: count, physicalBytes: num, inUseBytes: z.array(num) })),
    oomKillTimesS: z.array(num),
  }),
  costItems: z.array(z.object({ kind: z.enum(["hosts", "licenses", "operations"]), name: z.string(), monthly: metricSummarySchema, detail: z.string() })),
  apps: z.record(z.string(), z.record(z.string(), metricSummarySchema)),
  assumptions: z.array(z.object({ parameter: z.string(), value: z.string(), source: z.string() })),
  runs: z.array(runSchema),
});

/** Version 1 modes lack the start-up and memory series and the assumptions. */
const modeSchemaV1 = modeSchema.extend({
  startupCpuSeries: cpuSeriesSchema.optional(),
  memorySeries: modeSchema.shape.memorySeries.optional(),
  assumptions: modeSchema.shape.assumptions.optional(),
});

const sloSchema = z.object({
  metric: z.string(),
  op: z.enum(["<=", ">="]),
  bound: z.number(),
  text: z.string(),
  verdicts: z.record(
    z.string(),
    z.object({ met: z.boolean(), value: metricSummarySchema.optional(), judged: z.number().optional(), reason: z.string().optional() }),
  ),
});

const tool = z.object({ name: z.literal("densim"), version: z.string() });
// After `scenario`, in the order results.json has them (a parsed file writes back unchanged).
const run = {
  seed: z.number(),
  replications: z.number().int().positive(),
  horizonS: num,
  cluster: z.object({ hosts: count, cores: num, memoryBytes: num, hostNames: z.array(z.string()) }),
};
const appsSchema = z.array(z.object({ name: z.string(), kind: z.enum(["service", "job"]), noisy: z.boolean(), grows: z.boolean() }));

/** The results contract, version 2 (RESULTS_SCHEMA_VERSION). */
export const resultsSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  tool,
  scenario: z.object({
    name: z.string(),
    title: z.string(),
    hash: z.string(),
    file: z.string(),
    question: z.string(),
    overrides: z.array(z.string()),
    modes: z.array(z.string()),
    text: z.string(),
  }),
  ...run,
  apps: appsSchema,
  modes: z.record(z.string(), modeSchema),
  slo: z.array(sloSchema),
});

/** Version 1: the scenario's name, title and hash only; no SLOs. */
export const resultsSchemaV1 = z.object({
  schemaVersion: z.literal(1),
  tool,
  scenario: z.object({ name: z.string(), title: z.string(), hash: z.string() }),
  ...run,
  modes: z.record(z.string(), modeSchemaV1),
});

// The schema must describe the contract: a field added to Results and not here fails to compile.
const _contract: (r: z.output<typeof resultsSchema>) => Results = (r) => r;
void _contract;

export interface ReadResults {
  readonly results: Results;
  /** The version the file was written in. */
  readonly schemaVersion: 1 | 2;
  /** false for version 1: scenario file, question, overrides, modes and text were not recorded. */
  readonly provenance: boolean;
}

export type ParseResults = ({ readonly ok: true } & ReadResults) | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

const issue = (where: string, path: string, message: string): ScenarioIssue => ({ code: "results", where, path, message });

/** Parses results.json text; `where` names the file in issues. */
export function parseResults(text: string, where: string): ParseResults {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const reason = String((e as Error).message).split("\n")[0]?.slice(0, 160) ?? "";
    return { ok: false, issues: [issue(where, "(file)", `expected results JSON, found text that is not valid JSON (${reason})`)] };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, issues: [issue(where, "(file)", `expected a results object, found ${describeFound(raw)}`)] };
  }
  const version = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    return { ok: false, issues: [issue(where, "schemaVersion", `expected an integer 1..${RESULTS_SCHEMA_VERSION}, found ${describeFound(version)}`)] };
  }
  if (version > RESULTS_SCHEMA_VERSION) {
    return {
      ok: false,
      issues: [
        issue(
          where,
          "schemaVersion",
          `expected at most ${RESULTS_SCHEMA_VERSION}, found ${version}: written by a newer densim than this one, which reads results up to version ${RESULTS_SCHEMA_VERSION}; upgrade densim to read it`,
        ),
      ],
    };
  }
  if (version === 1) {
    const r = resultsSchemaV1.safeParse(raw, { reportInput: true });
    if (!r.success) return { ok: false, issues: zodIssues(where, r.error.issues) };
    const v1 = r.data;
    const results: Results = {
      ...v1,
      schemaVersion: RESULTS_SCHEMA_VERSION,
      scenario: { ...v1.scenario, file: "", question: "", overrides: [], modes: Object.keys(v1.modes), text: "" },
      apps: Object.keys(Object.values(v1.modes)[0]?.apps ?? {}).map((name) => ({ name, kind: "service" as const, noisy: false, grows: false })),
      modes: Object.fromEntries(
        Object.entries(v1.modes).map(([name, m]) => [
          name,
          {
            ...m,
            startupCpuSeries: m.startupCpuSeries ?? { timesS: [], series: [], values: [], capacityCores: 0 },
            memorySeries: m.memorySeries ?? { timesS: [], groups: [], oomKillTimesS: [] },
            assumptions: m.assumptions ?? [],
          },
        ]),
      ),
      slo: [],
    };
    return { ok: true, results, schemaVersion: 1, provenance: false };
  }
  const r = resultsSchema.safeParse(raw, { reportInput: true });
  if (!r.success) return { ok: false, issues: zodIssues(where, r.error.issues) };
  return { ok: true, results: r.data, schemaVersion: 2, provenance: true };
}

/** At most this many issues are listed: a wrong file type would list every field. */
const MAX_ISSUES = 10;

function zodIssues(where: string, issues: readonly z.core.$ZodIssue[]): ScenarioIssue[] {
  const out = issues.slice(0, MAX_ISSUES).map((i) => issue(where, at(i.path), zodMessage(i)));
  if (issues.length > MAX_ISSUES) out.push(issue(where, "(file)", `and ${issues.length - MAX_ISSUES} more problems`));
  return out;
}

function zodMessage(i: z.core.$ZodIssue): string {
  const found = describeFound((i as { input?: unknown }).input);
  switch (i.code) {
    case "invalid_type":
      return `expected ${i.expected === "tuple" ? "a pair" : a(i.expected)}, found ${found}`;
    case "invalid_value":
      return `expected ${i.values.map((v) => JSON.stringify(v)).join(" or ")}, found ${found}`;
    case "too_small":
      return `expected a value >= ${String(i.minimum)}, found ${found}`;
    case "too_big":
      return `expected a value <= ${String(i.maximum)}, found ${found}`;
    default:
      return `${i.message.replace(/^Invalid input: /, "")}, found ${found}`;
  }
}

/** `modes.vm.summary["startup.p95"].mean`: keys with dots in brackets, so the path reads back unambiguously. */
function at(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out === "" ? "(file)" : out;
}

const a = (type: string): string => (type === "array" ? "a list" : type === "object" ? "a mapping" : type === "record" ? "a mapping" : `a ${type}`);
