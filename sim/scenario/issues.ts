/**
 * Problems a user can cause in a scenario, as values: where (file:line:col, or the --set that
 * caused it), which field (a path like `apps[1].memory`) and what was expected versus found.
 */

export type IssuePath = readonly (string | number)[];

export interface ScenarioIssue {
  readonly code: string;
  /** `file:line:col`, or `--set key=value` for an override. */
  readonly where: string;
  readonly path: string;
  readonly message: string;
}

/** `apps[1].memory`; the root is `(scenario)`. */
export function formatPath(path: IssuePath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out === "" ? "(scenario)" : out;
}

export const formatIssue = (i: ScenarioIssue): string => `${i.where}: ${i.path}: ${i.message}`;

/** Describes a found value briefly, for "expected X, found Y". */
export function describeFound(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "number" && !Number.isFinite(value)) return Number.isNaN(value) ? "NaN (not a number)" : value > 0 ? "infinity" : "minus infinity";
  if (typeof value === "bigint" || typeof value === "symbol" || typeof value === "function") return `a ${typeof value}`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}..." (${text.length - 2} characters)` : text;
}
