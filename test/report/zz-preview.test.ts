import { it } from "vitest";
import { writeFileSync } from "node:fs";
import { renderPng, renderSvg } from "../../sim/report/index.js";
import { slowdownChart } from "../../sim/report/charts/slowdown.js";
import { cpuOverTimeChart } from "../../sim/report/charts/cpu-over-time.js";
import { noisyNeighbourChart } from "../../sim/report/charts/victims.js";
import { fixtureResults } from "./fixture.js";

it("preview", async () => {
  const results = fixtureResults();
  const charts: [string, unknown][] = [["slowdown", slowdownChart(results)], ["cpu-over-time", cpuOverTimeChart(results)], ["victims", noisyNeighbourChart(results)]];
  for (const [name, spec] of charts) {
    const svg = await renderSvg(spec as never);
    writeFileSync(`/tmp/densim-preview/${name}.png`, renderPng(svg, { scale: 1 }));
  }
});
