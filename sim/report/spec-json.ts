/** A chart's Vega-Lite spec as a file (`*.vl.json`), kept apart from render.ts so writing specs loads no renderer. */

/** The Vega-Lite spec as written next to the chart: 2-space indent, trailing newline. */
export function specJson(spec: unknown): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}
