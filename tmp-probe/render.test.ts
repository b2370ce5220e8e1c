import { writeFileSync } from "node:fs";
import { test } from "vitest";
import { densityChart, renderPng, renderSvg } from "../sim/report/index.js";
import { fixtureResults } from "../test/report/fixture.js";

test("probe", async () => {
  const spec = densityChart(fixtureResults());
  const svg = await renderSvg(spec);
  writeFileSync("/tmp/density.svg", svg);
  writeFileSync("/tmp/density.vl.json", JSON.stringify(spec, null, 2));
  writeFileSync("/tmp/density.png", renderPng(svg));
});
