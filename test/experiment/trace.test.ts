import { describe, expect, it } from "vitest";
import { traceRun } from "../../sim/experiment/index.js";
import { scenario } from "../helpers/scenario.js";

describe("trace", () => {
  it("gives each event the host the instance was on at that moment, not where it ended up", () => {
    const s = scenario({
      version: 1,
      name: "trace-moves",
      seed: 1,
      horizon: "2h",
      replications: 1,
      hosts: [{ type: "h", count: 2, cores: 16, memory: "64GiB" }],
      apps: [{ name: "web", replicas: 2, cpu: 1, memory: "2GiB", init: "2s" }],
      events: [{ at: "30m", fail: "h-1" }],
      modes: { container: { recovery: { detect: "10s" } } },
      placement: { policy: "worst-fit" },
    });
    const t = traceRun(s, "container");
    const relocated = t.events.find((e) => e.event === "relocated");
    expect(relocated?.host).toBe("h-2");
    const moved = relocated!.instance!.name;
    const own = t.events.filter((e) => e.instance?.name === moved);
    const placed = own.find((e) => e.event === "placed");
    expect(placed?.host).toBe("h-1");
    const lost = own.find((e) => e.event === "lost");
    expect(lost?.host).toBe("h-1");
    // Every event before the relocation is on h-1 (or on no host yet), every one from it on h-2.
    const at = own.indexOf(relocated!);
    for (const e of own.slice(0, at)) expect([undefined, "h-1"]).toContain(e.host);
    for (const e of own.slice(at)) expect(e.host).toBe("h-2");
  });
});
