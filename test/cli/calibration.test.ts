/** docs/calibration.md has an entry for every source key the built-in profiles and presets cite. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PRESETS } from "../../sim/cost/index.js";
import { MODE_DEFAULT_SOURCES, PROFILES } from "../../sim/model/index.js";
import { calibrationEntries, calibrationPath, readCalibration } from "../../sim/cli/calibration.js";

const FIELDS = ["**Figure:**", "**From:**", "**Conditions:**", "**Status:**", "**densim uses it for:**", "**Limits:**"];

function citedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const p of PROFILES) for (const s of Object.values(p.sources)) keys.add(s.key);
  for (const preset of Object.values(PRESETS)) keys.add(preset.source);
  for (const d of MODE_DEFAULT_SOURCES) keys.add(d.source.key);
  return keys;
}

describe("docs/calibration.md", () => {
  const entries = readCalibration();

  it("has an entry for every key a profile or a licence preset cites", () => {
    const missing = [...citedKeys()].filter((key) => !entries.has(key));
    expect(missing, `keys cited in sim/model/profiles.ts or sim/cost/presets.ts but absent from ${calibrationPath()}`).toEqual([]);
    expect(citedKeys().has("judgement")).toBe(true);
  });

  it("gives every entry its figure, origin, conditions, status, use and limits", () => {
    for (const [key, text] of entries) for (const field of FIELDS) expect(text, `${key} lacks ${field}`).toContain(field);
  });

  it("keys are unique", () => {
    const headings = readFileSync(calibrationPath(), "utf8").match(/^### .*$/gm) ?? [];
    expect(headings.length).toBe(entries.size);
  });

  it("an entry runs from its heading to the next heading", () => {
    const parsed = calibrationEntries("# T\n\nintro\n\n## Group\n\n### a\n\nfirst\n\n### `b`\n\nsecond\n\n## Other\n\nnot b\n");
    expect([...parsed.keys()]).toEqual(["a", "b"]);
    expect(parsed.get("a")).toBe("### a\n\nfirst");
    expect(parsed.get("b")).toBe("### `b`\n\nsecond");
  });
});
