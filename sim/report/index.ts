/**
 * The report layer's public face: chart builders (pure, Results -> Vega-Lite spec), the
 * shared theme and fonts, and the renderers that turn specs into SVG, PNG and JSON files.
 * The report layer reads only the results contract, never the model.
 */

export { MAX_HOST_DOTS, densityChart, densityRows, dotsByCount, gibTicks, hostDotRows, memoryLabelRows, memoryRows } from "./charts/density.js";
export type { DensityRow, HostDotRow, MemoryLabelRow, MemoryRow } from "./charts/density.js";
export { allCharts, contentionCharts, costCharts, densityCharts, memoryCharts, slowdownReason, startupCharts, victimsReason } from "./charts/index.js";
export type { ChartList, SkippedChart } from "./charts/index.js";
export { memoryLimitRows, memoryOverTimeChart, memoryOverTimeReason, memoryOverTimeRows, oomRows } from "./charts/memory-over-time.js";
export type { MemoryLimitRow, MemoryRow as MemoryOverTimeRow, OomRow } from "./charts/memory-over-time.js";
export {
  costAxis,
  costChart,
  costColors,
  costDetails,
  costRows,
  costSegmentLabels,
  costTotals,
  formatUsd,
  formatUsdPerInstance,
  formatUsdShort,
  formatUsdTicks,
  hasCostData,
  licenceLabel,
  usdAxis,
} from "./charts/cost.js";
export type { CostDetailRow, CostLabelRow, CostRow, CostTotalRow, UsdAxis } from "./charts/cost.js";
export type { NamedChart } from "./charts/index.js";
export { startupEcdfChart, startupEcdfMarks, startupEcdfRows } from "./charts/startup-ecdf.js";
export type { EcdfMarkRow, EcdfRow } from "./charts/startup-ecdf.js";
export {
  LOG_SPREAD,
  readyOverTimeChart,
  readyOverTimeEnds,
  readyOverTimeIsLog,
  readyOverTimeRows,
} from "./charts/ready-over-time.js";
export type { ReadyEndRow, ReadyRow } from "./charts/ready-over-time.js";
export {
  startupPhaseDetails,
  startupPhaseLabels,
  startupPhaseRows,
  startupPhaseTotals,
  startupPhasesChart,
  startupPhasesShown,
} from "./charts/startup-phases.js";
export type { PhaseDetailRow, PhaseLabelRow, PhaseRow, PhaseTotalRow } from "./charts/startup-phases.js";
export { hasSlowdownData, slowdownChart, slowdownMissing, slowdownRows } from "./charts/slowdown.js";
export type { SlowdownRow } from "./charts/slowdown.js";
export {
  MAX_APP_SERIES,
  OTHER_APPS,
  appSeries,
  cpuCapacityRows,
  cpuOverTimeChart,
  cpuOverTimeMissing,
  cpuOverTimeRows,
  cpuPanelSummaries,
  cpuStartupChart,
  cpuStartupReason,
  startupWindowEnd,
  cpuSeriesColors,
  cpuTimeAxis,
  hasCpuSeries,
} from "./charts/cpu-over-time.js";
export type { AppSeries, CpuCapacityRow, CpuPanelSummary, CpuRow } from "./charts/cpu-over-time.js";
export { contentionApps, hasVictimData, noisyNeighbourChart, noisyNeighbourRows } from "./charts/victims.js";
export type { VictimGapRow, VictimRow } from "./charts/victims.js";
export { MIN_FACTOR_END, factorAxis, factorAxisFitting, formatFactor } from "./charts/factor.js";
export type { FactorAxis } from "./charts/factor.js";
export { LOG_FLOOR_S, formatSeconds, linearTimeAxis, logTimeAxis } from "./charts/time.js";
export type { LinearTimeAxis, TimeAxis } from "./charts/time.js";
export { placeLaneLabels } from "./charts/layout.js";
export type { LaneItem, LanePlacement } from "./charts/layout.js";
export {
  APP_PALETTE,
  CHART_CONFIG,
  COST_ITEM_COLORS,
  COST_ITEM_LABELS,
  CPU_OTHER_COLORS,
  CPU_OTHER_LABELS,
  FALLBACK_PALETTE,
  FONT_FAMILY,
  INK,
  LICENCE_SHADES,
  MEMORY_PART_COLORS,
  MEMORY_PART_LABELS,
  MODE_KIND_COLORS,
  MUTED,
  PHASE_COLORS,
  PHASE_LABELS,
  memoryPartColors,
  modeColors,
  licenceShades,
  panelTitle,
  phaseColors,
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
export { comparisonModel, comparisonTable, rejectionLines, COMPARISON_ROWS, type ComparisonModel, type ComparisonRow } from "./comparison.js";
export { sweepChart, sweepInterpolation, sweepLabelRows, sweepPanels, sweepRows, type SweepInterpolation, type SweepLabelRow, type SweepRow } from "./charts/sweep.js";
export { AXIS_UNITS, UNIT_WORDS, metricAxisTitle, metricHeading, parameterWords, type AxisUnit } from "./metric-words.js";
export * from "./format.js";
export { sloHeading, sloMisses, sloTable, sloUnit, verdictText } from "./slo.js";
export { decidingText, planHeading, planTable, probeLine, probeSize } from "./plan.js";
export { planChart, planRows, type PlanBarRow } from "./charts/plan.js";
export { htmlReport, htmlTable, licencesHtml, runReportHtml, runReportSections, type HtmlCell, type HtmlChart, type HtmlDoc, type HtmlSection, type HtmlTableOptions } from "./html.js";
export { markdownTable, runReportMarkdown } from "./markdown.js";
export { escapeHtml, escapeMarkdown, markdownFence, scriptJson } from "./escape.js";
export * from "./run-report.js";
export { ciWords, changeCells, changeLabel, diffJson, diffMarkdown, diffText, formatChange, formatRelative } from "./diff.js";
