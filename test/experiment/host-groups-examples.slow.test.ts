/**
 * Host groups on the bundled examples (slow: about 11 s, so in `npm run test:validate`, which CI
 * runs too): each example scaled up (hosts and replicas 70 times, a 30-minute horizon) so its
 * decomposable modes go group by group, and each grouped run compared with the whole run:
 * licences, per-app peaks, host OS families, ports, noisy neighbours and prices, overcommit's leak
 * (swap, OOM kills and restarts) as the examples set them. (image-layers' cold pulls through one
 * registry keep it whole.)
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { chunkCount, runGrouped } from "../../sim/experiment/host-groups.js";
import { resolveWorkload, runOnce } from "../../sim/experiment/index.js";
import { scenario } from "../helpers/scenario.js";
import { configOf, expectSameRun } from "../helpers/same-run.js";

const EXAMPLES = ["quickstart", "windows-licensing", "windows-sql", "noisy-neighbour", "overcommit", "runtime-conflicts", "rhel-vdc", "boot-storm"];
const SCALE = 70;

describe("host groups on the bundled examples", () => {
  it.each(EXAMPLES)("%s: every decomposable mode's grouped run is the whole run", (name) => {
    const doc = parse(readFileSync(`scenarios/${name}.yaml`, "utf8")) as { hosts: { count: number }[]; apps: { kind?: string; replicas?: number }[]; horizon: string; replications: number };
    for (const h of doc.hosts) h.count *= SCALE;
    for (const a of doc.apps) if (a.replicas !== undefined) a.replicas *= SCALE;
    doc.horizon = "30m";
    doc.replications = 1;
    const s = scenario(doc);
    const w = resolveWorkload(s.scenario);
    let compared = 0;
    for (const mode of w.modes) {
      if (chunkCount(w, mode) === 0) continue;
      const config = configOf(s);
      const grouped = runGrouped(w, mode, config, 0);
      if (grouped === undefined) continue;
      expectSameRun(grouped, runOnce(w, mode, config, 0));
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });
});
