/**
 * Names of report folders: `<name>` for a scenario as written, `<name>@<hash>` for a variant
 * (`--set`, `--mode`), or the user's `--name`. Every name is one safe path component of bounded
 * length, so no scenario name can escape `--out` or make the file system refuse it.
 */
import { createHash } from "node:crypto";
import { UsageError } from "./io.js";

/** Longest folder name densim makes from a scenario name, before the `@<hash>` suffix. */
export const MAX_BASE_CHARS = 100;
/** Longest `--name` a user may give. */
export const MAX_NAME_CHARS = 100;

const sha256Hex = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * The first 8 hex digits that tell a variant apart: the effective scenario hash (after `--set`),
 * or, when `--mode` picks modes, a hash of it and the sorted modes.
 */
export function variantTag(scenarioHash: string, modes: readonly string[]): string {
  if (modes.length === 0) return scenarioHash.slice(0, 8);
  const sorted = [...new Set(modes)].sort();
  return sha256Hex(`${scenarioHash} modes=${sorted.join(",")}`).slice(0, 8);
}

/** `base` cut to MAX_BASE_CHARS (a cut name keeps a hash of the whole), then `@tag` if a variant. */
export function reportFolderName(base: string, tag?: string): string {
  const short = base.length <= MAX_BASE_CHARS ? base : `${base.slice(0, MAX_BASE_CHARS - 9)}~${sha256Hex(base).slice(0, 8)}`;
  return tag === undefined ? short : `${short}@${tag}`;
}

export interface FolderChoice {
  /** `--name`, used as is when given. */
  readonly name?: string;
  /** Whether this run differs from the scenario as written (`--set`, `--mode`). */
  readonly variant: boolean;
  /** Effective scenario hash, `LoadedScenario.hash` (or a hash over several). */
  readonly hash: string;
  readonly modes: readonly string[];
}

/** The folder name for a report whose default name is `base`. */
export function chooseFolderName(base: string, c: FolderChoice): string {
  if (c.name !== undefined) return c.name;
  return reportFolderName(base, c.variant ? variantTag(c.hash, c.modes) : undefined);
}

/** The problem with a user-given folder name, or undefined when it is one safe path component. */
export function folderNameProblem(name: string): string | undefined {
  const chars = [...name];
  if (chars.length === 0) return "expected a folder name, found an empty string";
  if (chars.length > MAX_NAME_CHARS) return `expected at most ${MAX_NAME_CHARS} characters, found ${chars.length}`;
  if (Buffer.byteLength(name, "utf8") > 200) return `expected at most 200 bytes in UTF-8, found ${Buffer.byteLength(name, "utf8")}`;
  const control = /[\u0000-\u001f\u007f-\u009f]/u.exec(name);
  if (control) return `expected no control characters, found U+${(control[0].codePointAt(0) ?? 0).toString(16).padStart(4, "0").toUpperCase()}`;
  const bad = /[/\\<>:"|?*]/.exec(name);
  if (bad) return `expected one folder name without / \\ < > : " | ? *, found "${bad[0]}"`;
  if (name.includes("..")) return 'expected no "..", found it';
  if (name === ".") return 'expected a folder name, found "."';
  if (name.startsWith(".densim-")) return 'expected a name not starting with ".densim-" (densim\'s own files), found one';
  if (name.trim() !== name) return "expected no leading or trailing spaces, found some";
  return undefined;
}

/** Throws a UsageError naming `flag` when `name` is not a safe folder name. */
export function checkFolderName(name: string, flag = "--name"): void {
  const problem = folderNameProblem(name);
  if (problem !== undefined) throw new UsageError(`${flag} ${JSON.stringify(name)}: ${problem}`);
}
