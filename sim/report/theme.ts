/**
 * The shared look of every densim chart: fonts, sizes, colours.
 *
 * Contract: mode colours depend only on the results (a mode's kind and its position in
 * the results' mode order), so the same mode has the same colour in every chart of a report;
 * the font is always "DejaVu Sans", which the PNG renderer bundles, so rasterising is
 * independent of the fonts installed on the machine.
 */

import type { Config } from "vega-lite";
import type { ModeKind, StartupPhase } from "../experiment/results.js";
import { MEMORY_PARTS, STARTUP_PHASES } from "../experiment/results.js";

export const FONT_FAMILY = "DejaVu Sans";

/** Text colours: ink for data labels and titles, muted for secondary text (subtitles, notes). */
export const INK = "#222222";
export const MUTED = "#666666";

/** One colour per mode kind; the Tableau 10 hues everybody already knows from slides. */
export const MODE_KIND_COLORS: Readonly<Record<ModeKind, string>> = {
  bare: "#4C78A8",
  container: "#54A24B",
  vm: "#E45756",
  microvm: "#F58518",
};

/**
 * Colours for modes that cannot take their kind's colour, because an earlier mode of the
 * same kind already has it (two VM profiles, say), or because the kind is unknown.
 * Chosen to stay distinguishable from the four kind colours.
 */
export const FALLBACK_PALETTE: readonly string[] = [
  "#B279A2",
  "#72B7B2",
  "#9D755D",
  "#EECA3B",
  "#FF9DA6",
  "#79706E",
  "#2F4B7C",
  "#BAB0AC",
];

/** An ordinal colour scale as Vega-Lite wants it: domain[i] is drawn in range[i]. */
export interface ColorScale {
  readonly domain: readonly string[];
  readonly range: readonly string[];
}

function isModeKind(kind: string): kind is ModeKind {
  return Object.prototype.hasOwnProperty.call(MODE_KIND_COLORS, kind);
}

/**
 * Mode name -> colour, in the results' mode order. A kind's colour goes to the mode named
 * after the kind if there is one (so "vm" is red even after a "vm-large"), else to the first
 * mode of that kind; every other mode takes the fallback palette in order (cycling when
 * exhausted), so modes of one kind stay distinguishable.
 */
export function modeColors(results: { readonly modes: Readonly<Record<string, { readonly kind: string }>> }): ColorScale {
  const entries = Object.entries(results.modes);
  const owner = new Map<string, string>();
  // `kind` comes from JSON on disk, so do not trust the type at run time.
  for (const [name, mode] of entries) {
    if (name === mode.kind && isModeKind(name)) owner.set(name, name);
  }
  for (const [name, mode] of entries) {
    if (isModeKind(mode.kind) && !owner.has(mode.kind)) owner.set(mode.kind, name);
  }
  const domain: string[] = [];
  const range: string[] = [];
  let fallback = 0;
  for (const [name, mode] of entries) {
    let color: string;
    if (isModeKind(mode.kind) && owner.get(mode.kind) === name) {
      color = MODE_KIND_COLORS[mode.kind];
    } else {
      color = FALLBACK_PALETTE[fallback % FALLBACK_PALETTE.length] ?? INK;
      fallback += 1;
    }
    domain.push(name);
    range.push(color);
  }
  return { domain, range };
}

export type MemoryPart = (typeof MEMORY_PARTS)[number];

/** Legend names for the memory breakdown. */
export const MEMORY_PART_LABELS: Readonly<Record<MemoryPart, string>> = {
  "memory.app": "App",
  "memory.guestOs": "Guest OS",
  "memory.hypervisor": "Hypervisor",
  "memory.runtime": "Runtime / engine",
  "memory.reserved": "Host OS reserve",
  "memory.free": "Free",
  "memory.overcommitted": "Overcommitted",
};

/**
 * Memory part colours. They tell the story on their own: the workload in a strong purple
 * (a hue no mode kind uses), the virtualisation tax in warm browns from dark to light,
 * what the host keeps for itself in grey, unused memory almost white, and memory promised
 * beyond the physical in red.
 */
export const MEMORY_PART_COLORS: Readonly<Record<MemoryPart, string>> = {
  "memory.app": "#5E4FA2",
  "memory.guestOs": "#8C510A",
  "memory.hypervisor": "#BF812D",
  "memory.runtime": "#DFC27D",
  "memory.reserved": "#9E9E9E",
  "memory.free": "#E6E6E6",
  /** Red: memory promised beyond what the hosts have, drawn past the physical memory. */
  "memory.overcommitted": "#D7301F",
};

/** Memory part legend name -> colour, in `MEMORY_PARTS` order (bottom/left of a stack first). */
export function memoryPartColors(): ColorScale {
  return {
    domain: MEMORY_PARTS.map((part) => MEMORY_PART_LABELS[part]),
    range: MEMORY_PARTS.map((part) => MEMORY_PART_COLORS[part]),
  };
}

/**
 * Text colour for a label drawn on a `#rrggbb` background: white on dark, ink on light,
 * by WCAG relative luminance.
 */
export function textColorOn(background: string): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(background);
  if (match === null) return INK;
  const channel = (hex: string | undefined): number => {
    const c = parseInt(hex ?? "0", 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(match[1]) + 0.7152 * channel(match[2]) + 0.0722 * channel(match[3]);
  // The luminance where white and ink text have equal contrast is about 0.18.
  return luminance < 0.18 ? "#FFFFFF" : INK;
}

/** A panel (sub-chart) title: smaller than the figure title so the hierarchy reads at a glance. */
export function panelTitle(text: string, subtitle?: string): {
  text: string;
  subtitle?: string;
  fontSize: number;
  subtitleFontSize: number;
  anchor: "start";
} {
  return subtitle === undefined
    ? { text, fontSize: 15, subtitleFontSize: 12, anchor: "start" }
    : { text, subtitle, fontSize: 15, subtitleFontSize: 12, anchor: "start" };
}

/** Label and title text of axes and legends alike: ink labels, muted titles, one size. */
const GUIDE_TEXT = {
  labelFont: FONT_FAMILY,
  titleFont: FONT_FAMILY,
  labelFontSize: 12,
  titleFontSize: 12,
  titleFontWeight: "normal",
  labelColor: INK,
  titleColor: MUTED,
} as const;

/** Vega-Lite config shared by all charts: one font, slide-sized text, light chrome. */
export const CHART_CONFIG: Config = {
  font: FONT_FAMILY,
  background: "white",
  padding: 20,
  view: { stroke: null },
  title: {
    font: FONT_FAMILY,
    fontSize: 20,
    fontWeight: "bold",
    color: INK,
    anchor: "start",
    offset: 16,
    subtitleFont: FONT_FAMILY,
    subtitleFontSize: 13,
    subtitleColor: MUTED,
    subtitlePadding: 6,
  },
  axis: {
    ...GUIDE_TEXT,
    domainColor: "#888888",
    tickColor: "#888888",
    grid: false,
    labelPadding: 6,
    titlePadding: 10,
  },
  // A faint value grid helps read bar heights; the band axis gets none.
  axisQuantitative: { grid: true, gridColor: "#EBEBEB", domain: false, ticks: false },
  axisBand: { ticks: false },
  legend: {
    ...GUIDE_TEXT,
    symbolType: "square",
    symbolSize: 140,
  },
  header: { labelFont: FONT_FAMILY, titleFont: FONT_FAMILY, labelFontSize: 12, titleFontSize: 13 },
  text: { font: FONT_FAMILY, fontSize: 12, color: INK },
  concat: { spacing: 56 },
};

/** Legend names for the start-up phases. */
export const PHASE_LABELS: Readonly<Record<StartupPhase, string>> = {
  pull: "Image pull",
  extract: "Layer extract",
  create: "Create + start",
  provision: "Disk provision",
  boot: "OS boot",
  guestInit: "Guest init",
  init: "App init",
};

/**
 * Start-up phase colours, from the same brown-teal family as the memory parts so the two
 * figures read alike: the image and runtime work of containers in teals (dark to light in
 * phase order), the virtual machine's own work in browns (guest init in the Guest OS brown),
 * and the application's own start in the App purple of the memory breakdown.
 */
export const PHASE_COLORS: Readonly<Record<StartupPhase, string>> = {
  pull: "#01665E",
  extract: "#35978F",
  create: "#80CDC1",
  provision: "#DFC27D",
  boot: "#BF812D",
  guestInit: "#8C510A",
  init: "#5E4FA2",
};

/** Phase legend name -> colour for the given phases (default all), in `STARTUP_PHASES` order. */
export function phaseColors(phases: readonly StartupPhase[] = STARTUP_PHASES): ColorScale {
  const wanted = STARTUP_PHASES.filter((phase) => phases.includes(phase));
  return {
    domain: wanted.map((phase) => PHASE_LABELS[phase]),
    range: wanted.map((phase) => PHASE_COLORS[phase]),
  };
}

/**
 * App colours for charts that split by app (CPU over time): a categorical set kept clear of the
 * four mode-kind hues (no steel blue, green, red or orange), led by the memory breakdown's App
 * purple and a magenta that reads apart from it even in a thin band; cycles when exhausted.
 */
export const APP_PALETTE: readonly string[] = [
  "#5E4FA2",
  "#D0459A",
  "#1B9E8A",
  "#A6761D",
  "#9E9AC8",
  "#7A0177",
  "#66C2A5",
  "#E6AB02",
];

/** CPU that is not an app's own work: overhead in the host-reserve grey, start-up work lighter. */
export const CPU_OTHER_COLORS: Readonly<Record<"overhead" | "start-up", string>> = {
  overhead: "#9E9E9E",
  "start-up": "#D4D4D4",
};

/** Legend names of the non-app CPU series. */
export const CPU_OTHER_LABELS: Readonly<Record<"overhead" | "start-up", string>> = {
  overhead: "Overhead",
  "start-up": "Start-up work",
};

/** Legend names of the cost items that are not licences. */
export const COST_ITEM_LABELS: Readonly<Record<"hosts" | "operations", string>> = {
  hosts: "Hosts",
  operations: "Operations",
};

/**
 * Cost item colours. Hosts, the base cost every mode pays, in a quiet slate; licences, the
 * per-OS and per-hypervisor tax, in the warm browns the memory breakdown uses for the
 * virtualisation tax (one shade per licence rule, see `licenceShades`); operations, people's
 * time, in a teal that reads apart from both. None is a mode-kind hue.
 */
export const COST_ITEM_COLORS: Readonly<Record<"hosts" | "operations", string>> = {
  hosts: "#4F5D6B",
  operations: "#35978F",
};

/** The licence ramp, dark to light: the memory breakdown's browns with a darker and a lighter end. */
export const LICENCE_SHADES: readonly string[] = ["#543005", "#8C510A", "#BF812D", "#DFC27D", "#EEDDB0"];

/**
 * `count` distinct shades of the licence browns, dark to light: the memory breakdown's three
 * browns for up to three rules (one rule takes the middle one), the whole ramp sampled evenly
 * (interpolating between its stops) for more.
 */
export function licenceShades(count: number): string[] {
  if (count <= 0) return [];
  if (count === 1) return [LICENCE_SHADES[2] ?? INK];
  if (count === 2) return [LICENCE_SHADES[1] ?? INK, LICENCE_SHADES[3] ?? INK];
  if (count === 3) return LICENCE_SHADES.slice(1, 4);
  const rgb = (hex: string): number[] => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
  const stops = LICENCE_SHADES.map(rgb);
  const last = stops.length - 1;
  return Array.from({ length: count }, (_, i) => {
    const position = (i / (count - 1)) * last;
    const below = Math.min(last - 1, Math.floor(position));
    const t = position - below;
    const a = stops[below] ?? [0, 0, 0];
    const b = stops[below + 1] ?? a;
    return `#${a
      .map((channel, k) => Math.round(channel + ((b[k] ?? channel) - channel) * t).toString(16).padStart(2, "0"))
      .join("")
      .toUpperCase()}`;
  });
}
