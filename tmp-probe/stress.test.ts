import { writeFileSync } from "node:fs";
import { test } from "vitest";
import { densityChart, renderPng, renderSvg } from "../sim/report/index.js";
import { FIXTURE_SHAPES, fixtureResults } from "../test/report/fixture.js";
import type { ModeShape } from "../test/report/fixture.js";

test("stress", async () => {
  const vm = FIXTURE_SHAPES["vm"] as ModeShape;
  const mv = FIXTURE_SHAPES["microvm"] as ModeShape;
  const results = fixtureResults({
    "firecracker-large": { ...mv, profile: "fc-large" },
    ...FIXTURE_SHAPES,
    "qemu-kvm-hugepages": { ...vm, profile: "hp", hostInstances: vm.hostInstances.map((h) => h.map((x) => x + 1)) },
  });
  const spec = densityChart(results);
  const svg = await renderSvg(spec);
  writeFileSync("/tmp/stress.png", renderPng(svg));
});
