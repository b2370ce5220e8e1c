/**
 * docs/calibration.md at run time: the source entries `densim profiles --source KEY` prints.
 * An entry is a `### key` heading and everything up to the next heading of level 3 or above.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where the document sits: from dist/sim/cli/ (the built CLI) or from sim/cli/ (sources under test). */
const CANDIDATES = ["../../../docs/calibration.md", "../../docs/calibration.md"];

/** The path of docs/calibration.md beside this package; throws when the package ships without it. */
export function calibrationPath(): string {
  for (const rel of CANDIDATES) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error("docs/calibration.md is missing from the densim package");
}

/** Source key -> its entry's text (heading included, trailing blank lines dropped), in document order. */
export function calibrationEntries(markdown: string): Map<string, string> {
  const entries = new Map<string, string>();
  let key: string | undefined;
  let lines: string[] = [];
  const close = (): void => {
    if (key !== undefined) entries.set(key, lines.join("\n").trimEnd());
  };
  for (const line of markdown.split(/\r?\n/)) {
    const heading = /^(#{1,3})\s+(.*?)\s*$/.exec(line);
    if (heading) {
      close();
      key = heading[1] === "###" ? (heading[2] as string).replace(/`/g, "") : undefined;
      lines = [];
    }
    if (key !== undefined) lines.push(line);
  }
  close();
  return entries;
}

export function readCalibration(): Map<string, string> {
  return calibrationEntries(readFileSync(calibrationPath(), "utf8"));
}
