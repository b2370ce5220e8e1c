/**
 * Modes on chart axes and in colour: the size mode names are written at on a mode axis, the
 * band encoding of the charts that give each mode a horizontal band (cost, start-up phases,
 * slowdown, who suffers) with its label limits, and the mode colour encoding (no legend: the
 * axis or direct labels name the modes).
 *
 * Contract: pure functions of their arguments.
 */

import { textWidth } from "../fonts.js";
import type { ColorScale } from "../theme.js";
import { colorEncoding } from "./common.js";

/** Font size of the mode names on a mode axis, pixels. */
export const MODE_LABEL_SIZE = 13;

/** Width of the widest mode name at `MODE_LABEL_SIZE`, pixels (0 for no modes). */
export function modeLabelWidth(modes: readonly string[]): number {
  return Math.max(0, ...modes.map((mode) => textWidth(mode, MODE_LABEL_SIZE)));
}

/**
 * The y encoding of one band per mode, top to bottom in `modes` order, untitled, with no
 * domain line; mode names get room for the widest (at least 160 px) before they are cut.
 * `axis` adds to (or overrides) the axis properties.
 */
export function modeBandEncoding<A extends object = Record<never, never>>(
  modes: readonly string[],
  padding: { readonly inner: number; readonly outer: number },
  axis?: A,
) {
  return {
    field: "mode",
    type: "nominal" as const,
    sort: [...modes],
    title: null,
    scale: { domain: [...modes], paddingInner: padding.inner, paddingOuter: padding.outer },
    axis: {
      labelFontSize: MODE_LABEL_SIZE,
      domain: false,
      labelLimit: Math.max(160, Math.ceil(modeLabelWidth(modes)) + 4),
      ...axis,
    },
  };
}

/** Colour by mode on `colors` (the report's mode colours), without a legend. */
export function modeColorEncoding(colors: ColorScale) {
  return colorEncoding("mode", colors);
}
