/** The progress bar: its estimate of the time left, and the bar on a terminal (a pseudo-terminal from util-linux's script). */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { etaText } from "../../sim/cli/progress.js";
import { ensureBuilt, MAIN } from "../helpers/cli.js";

describe("progress bar", () => {
  it("shows the time left in seconds, minutes or hours, and '…' while cli-progress has no estimate", () => {
    // cli-progress's ETA before its first rate is the string "0"; it cannot tell: "NULL" or "INF".
    for (const unknown of ["0", "NULL", "INF", Number.POSITIVE_INFINITY, Number.NaN]) expect(etaText(unknown)).toBe("…");
    expect(etaText(0)).toBe("0s");
    expect(etaText(59)).toBe("59s");
    expect(etaText(61)).toBe("1m01s");
    expect(etaText(3599)).toBe("59m59s");
    expect(etaText(3723)).toBe("1h02m");
  });

  it.skipIf(!existsSync("/usr/bin/script"))("on a terminal, starts at 0 runs with no estimate rather than 0 s left, and the report is written", () => {
    ensureBuilt();
    const out = mkdtempSync(join(tmpdir(), "densim-progress-"));
    const command = `node ${MAIN} run ${resolve("scenarios/quickstart.yaml")} --format json --workers 1 --out ${out}`;
    const r = spawnSync("/usr/bin/script", ["-qec", command, "/dev/null"], { encoding: "utf8", env: { ...process.env, DENSIM_DEBUG: "" } });
    expect(r.status).toBe(0);
    // Frames are redrawn in place: split at the terminal's control sequences.
    const frames = r.stdout.split(/\x1b\[[0-9;?]*[A-Za-z]|\r/).filter((f) => / runs, ETA /.test(f));
    expect(frames[0]).toMatch(/^quickstart \[░+\] 0\/\d+ runs, ETA …$/);
    expect(frames.some((f) => /\] 0\/\d+ runs, ETA 0s/.test(f))).toBe(false);
    expect(readdirSync(out)).toHaveLength(1);
  });
});
