import { writeFile } from "node:fs/promises";
import { it } from "vitest";
import { renderPng, renderSvg } from "../../sim/report/render.js";
import * as charts from "../../sim/report/charts/index.js";
import { fixtureResults, FIXTURE_SHAPES } from "./fixture.js";

it("renders", async () => {
  const which = (process.env.CHARTS ?? "").split(",").filter(Boolean);
  const variants: Record<string, ReturnType<typeof fixtureResults>> = { fixture: fixtureResults() };
  const extra = process.env.VARIANT;
  if (extra) {
    const mod = await import("/tmp/charts/variants.js" as string);
    Object.assign(variants, mod.variants());
  }
  for (const [vname, results] of Object.entries(variants)) {
    for (const { name, spec } of charts.allCharts(results)) {
      if (which.length && !which.includes(name)) continue;
      const svg = await renderSvg(spec);
      await writeFile(`/tmp/charts/${vname}-${name}.svg`, svg);
      await writeFile(`/tmp/charts/${vname}-${name}.png`, renderPng(svg, { scale: 1.5 }));
    }
  }
});
