/**
 * The report layer's public face: chart builders (pure, Results -> Vega-Lite spec), the
 * shared theme and fonts, and the renderers that turn specs into SVG, PNG and JSON files.
 * The report layer reads only the results contract, never the model.
 */

export { densityChart, densityRows, gibTicks, hostDotRows, memoryLabelRows, memoryRows } from "./charts/density.js";
export type { DensityRow, HostDotRow, MemoryLabelRow, MemoryRow } from "./charts/density.js";
export {
  CHART_CONFIG,
  FALLBACK_PALETTE,
  FONT_FAMILY,
  INK,
  MEMORY_PART_COLORS,
  MEMORY_PART_LABELS,
  MODE_KIND_COLORS,
  MUTED,
  memoryPartColors,
  modeColors,
  panelTitle,
  textColorOn,
} from "./theme.js";
export type { ColorScale, MemoryPart } from "./theme.js";
export { FONT_FILES, isBold, textWidth } from "./fonts.js";
export {
  CHART_FORMATS,
  renderPng,
  renderSvg,
  specJson,
  writeChart,
  writeFileAtomic,
} from "./render.js";
export type { ChartFormat, PngOptions } from "./render.js";
export { comparisonTable, rejectionLines, COMPARISON_ROWS } from "./comparison.js";
