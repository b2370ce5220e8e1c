import { describe, expect, it } from "vitest";
import type { Results } from "../../sim/experiment/results.js";
import { MEMORY_PARTS } from "../../sim/experiment/results.js";
import {
  CHART_CONFIG,
  FALLBACK_PALETTE,
  FONT_FAMILY,
  MEMORY_PART_COLORS,
  MODE_KIND_COLORS,
  memoryPartColors,
  modeColors,
  isBold,
  textColorOn,
  textWidth,
} from "../../sim/report/index.js";
import { FIXTURE_SHAPES, fixtureResults } from "./fixture.js";
import type { ModeShape } from "./fixture.js";

const vm = FIXTURE_SHAPES["vm"] as ModeShape;
const bare = FIXTURE_SHAPES["bare"] as ModeShape;

describe("modeColors", () => {
  it("maps each kind to its colour, in results order", () => {
    expect(modeColors(fixtureResults())).toEqual({
      domain: ["bare", "container", "vm", "microvm"],
      range: [MODE_KIND_COLORS.bare, MODE_KIND_COLORS.container, MODE_KIND_COLORS.vm, MODE_KIND_COLORS.microvm],
    });
  });

  it("gives the kind colour to the mode named after the kind, others of that kind a fallback", () => {
    const colors = modeColors(fixtureResults({ "vm-large": vm, bare, vm, "vm-small": vm }));
    expect(colors.domain).toEqual(["vm-large", "bare", "vm", "vm-small"]);
    expect(colors.range).toEqual([FALLBACK_PALETTE[0], MODE_KIND_COLORS.bare, MODE_KIND_COLORS.vm, FALLBACK_PALETTE[1]]);
  });

  it("gives the kind colour to the first mode of a kind when none is named after it", () => {
    const colors = modeColors(fixtureResults({ "qemu-a": vm, "qemu-b": vm }));
    expect(colors.range).toEqual([MODE_KIND_COLORS.vm, FALLBACK_PALETTE[0]]);
  });

  it("survives kinds it does not know (results read from disk)", () => {
    const results = fixtureResults({ bare });
    const odd = { ...results.modes["bare"]!, kind: "unikernel" } as unknown as Results["modes"][string];
    const colors = modeColors({ ...results, modes: { odd } });
    expect(colors.range).toEqual([FALLBACK_PALETTE[0]]);
  });

  it("keeps all colours distinct", () => {
    const all = [...Object.values(MODE_KIND_COLORS), ...FALLBACK_PALETTE];
    expect(new Set(all.map((c) => c.toLowerCase())).size).toBe(all.length);
  });
});

describe("theme", () => {
  it("uses DejaVu Sans and slide-sized text", () => {
    expect(CHART_CONFIG.font).toBe(FONT_FAMILY);
    expect(FONT_FAMILY).toBe("DejaVu Sans");
    const title = CHART_CONFIG.title as { fontSize?: number };
    expect(title.fontSize).toBeGreaterThanOrEqual(18);
    expect(title.fontSize).toBeLessThanOrEqual(20);
    expect((CHART_CONFIG.axis as { labelFontSize?: number }).labelFontSize).toBe(12);
  });

  it("orders memory colours like MEMORY_PARTS, all distinct", () => {
    const { domain, range } = memoryPartColors();
    expect(domain).toHaveLength(MEMORY_PARTS.length);
    expect(range).toEqual(MEMORY_PARTS.map((part) => MEMORY_PART_COLORS[part]));
    expect(new Set(range).size).toBe(range.length);
  });

  it("picks readable text colours", () => {
    expect(textColorOn("#000000")).toBe("#FFFFFF");
    expect(textColorOn(MEMORY_PART_COLORS["memory.app"])).toBe("#FFFFFF");
    expect(textColorOn("#FFFFFF")).not.toBe("#FFFFFF");
    expect(textColorOn(MEMORY_PART_COLORS["memory.free"])).not.toBe("#FFFFFF");
    expect(textColorOn("not a colour")).not.toBe("#FFFFFF");
  });
});

describe("fonts", () => {
  it("measures with DejaVu Sans advance widths (2048 units per em)", () => {
    expect(textWidth("a", 2048)).toBe(1255);
    expect(textWidth(" ", 2048)).toBe(651);
    expect(textWidth("M", 2048)).toBe(1767);
    expect(textWidth("M", 2048, true)).toBe(2038);
    expect(textWidth("", 12)).toBe(0);
  });

  it("scales with size and adds up along the string", () => {
    expect(textWidth("container", 24)).toBeCloseTo(2 * textWidth("container", 12), 9);
    expect(textWidth("vmvm", 12)).toBeCloseTo(2 * textWidth("vm", 12), 9);
    expect(textWidth("container", 12, true)).toBeGreaterThan(textWidth("container", 12));
    // Characters outside the font still take room (the .notdef box).
    expect(textWidth("\u{1F600}", 12)).toBeGreaterThan(0);
  });

  it("reads CSS font weights", () => {
    expect(isBold("bold")).toBe(true);
    expect(isBold(700)).toBe(true);
    expect(isBold("600")).toBe(true);
    expect(isBold("normal")).toBe(false);
    expect(isBold(400)).toBe(false);
    expect(isBold(undefined)).toBe(false);
  });
});
