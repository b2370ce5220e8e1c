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

it("preview real", async () => {
  const { loadScenarioFile } = await import("../../sim/scenario/index.js");
  const { runExperiment } = await import("../../sim/experiment/index.js");
  const r = loadScenarioFile("scenarios/noisy-neighbour.yaml", { replications: 3 } as never);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const { results } = runExperiment(r);
  writeFileSync("/tmp/densim-preview/nn-results.json", JSON.stringify(results, (k, v) => (k === "runs" ? undefined : v)));
  const charts: [string, unknown][] = [["nn-slowdown", slowdownChart(results)], ["nn-cpu", cpuOverTimeChart(results)], ["nn-victims", noisyNeighbourChart(results)]];
  for (const [name, spec] of charts) {
    const svg = await renderSvg(spec as never);
    writeFileSync(`/tmp/densim-preview/${name}.png`, renderPng(svg, { scale: 1 }));
  }
});
