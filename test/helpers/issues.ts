/** Helpers for tests of scenario mistakes: the issues of an invalid scenario text, and where a token is. */
import { loadScenarioText, type ScenarioIssue } from "../../sim/scenario/index.js";

/** `s.yaml:line:col` of the first `token` on 1-based `line` of `text`. */
export function at(text: string, line: number, token: string): string {
  const col = text.split("\n")[line - 1]!.indexOf(token) + 1;
  if (col === 0) throw new Error(`no ${token} on line ${line}`);
  return `s.yaml:${line}:${col}`;
}

/** The issues of `text` loaded as s.yaml; throws if it loaded. */
export function issues(text: string): readonly ScenarioIssue[] {
  const r = loadScenarioText(text, "s.yaml");
  if (r.ok) throw new Error("expected issues");
  return r.issues;
}
