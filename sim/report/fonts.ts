/**
 * The bundled DejaVu Sans fonts: where their files are, and how wide a string set in them is.
 *
 * Contract: `FONT_FILES` are the only fonts the PNG renderer loads, and `textWidth` measures
 * with the advance widths of those same files, so the layout Vega computes (axis label
 * room, legend columns, label truncation) matches the text resvg draws. Widths ignore
 * kerning, which in DejaVu only narrows text, so measurements err on the roomy side.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const fontDir = join(
  dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")),
  "ttf",
);

export const FONT_FILES = {
  regular: join(fontDir, "DejaVuSans.ttf"),
  bold: join(fontDir, "DejaVuSans-Bold.ttf"),
} as const;

/** Advance widths of one TrueType font, read from its `head`, `hhea`, `hmtx` and `cmap` tables. */
interface FontMetrics {
  readonly unitsPerEm: number;
  /** Code point -> advance width in font units, memoised as characters are first measured. */
  advance(codePoint: number): number;
}

function parseFont(path: string): FontMetrics {
  const bytes = readFileSync(path);
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const numTables = data.getUint16(4);
  for (let i = 0; i < numTables; i += 1) {
    const record = 12 + 16 * i;
    const tag = String.fromCharCode(
      data.getUint8(record),
      data.getUint8(record + 1),
      data.getUint8(record + 2),
      data.getUint8(record + 3),
    );
    tables.set(tag, data.getUint32(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`${path}: no "${tag}" table`);
    return offset;
  };

  const unitsPerEm = data.getUint16(table("head") + 18);
  const numberOfHMetrics = data.getUint16(table("hhea") + 34);
  const hmtx = table("hmtx");
  // Glyphs past the last long metric repeat its advance (monospaced tails).
  const glyphAdvance = (glyph: number): number =>
    data.getUint16(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));

  // The Windows Unicode BMP subtable (platform 3, encoding 1) in format 4.
  const cmap = table("cmap");
  let subtable = -1;
  const cmapCount = data.getUint16(cmap + 2);
  for (let i = 0; i < cmapCount; i += 1) {
    const record = cmap + 4 + 8 * i;
    const offset = cmap + data.getUint32(record + 4);
    if (data.getUint16(record) === 3 && data.getUint16(record + 2) === 1 && data.getUint16(offset) === 4) {
      subtable = offset;
      break;
    }
  }
  if (subtable < 0) throw new Error(`${path}: no format-4 Unicode cmap`);
  const segCount = data.getUint16(subtable + 6) / 2;
  const endCodes = subtable + 14;
  const startCodes = endCodes + 2 * segCount + 2;
  const idDeltas = startCodes + 2 * segCount;
  const idRangeOffsets = idDeltas + 2 * segCount;

  const glyphOf = (codePoint: number): number => {
    if (codePoint > 0xffff) return 0;
    for (let seg = 0; seg < segCount; seg += 1) {
      if (data.getUint16(endCodes + 2 * seg) < codePoint) continue;
      const start = data.getUint16(startCodes + 2 * seg);
      if (start > codePoint) return 0;
      const delta = data.getUint16(idDeltas + 2 * seg);
      const rangeOffset = data.getUint16(idRangeOffsets + 2 * seg);
      if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
      const glyph = data.getUint16(idRangeOffsets + 2 * seg + rangeOffset + 2 * (codePoint - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };

  const cache = new Map<number, number>();
  return {
    unitsPerEm,
    advance(codePoint: number): number {
      let width = cache.get(codePoint);
      if (width === undefined) {
        width = glyphAdvance(glyphOf(codePoint));
        cache.set(codePoint, width);
      }
      return width;
    },
  };
}

const loaded = new Map<string, FontMetrics>();

function metrics(path: string): FontMetrics {
  let font = loaded.get(path);
  if (font === undefined) {
    font = parseFont(path);
    loaded.set(path, font);
  }
  return font;
}

/** Width in pixels of `text` in DejaVu Sans at `fontSize` px, bold or regular. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const font = metrics(bold ? FONT_FILES.bold : FONT_FILES.regular);
  let units = 0;
  for (const char of text) units += font.advance(char.codePointAt(0) ?? 0);
  return (units * fontSize) / font.unitsPerEm;
}

/** Whether a CSS font-weight value selects the bold face (resvg picks the nearest: 600 and up). */
export function isBold(fontWeight: unknown): boolean {
  if (fontWeight === "bold" || fontWeight === "bolder") return true;
  const numeric = typeof fontWeight === "number" ? fontWeight : Number(fontWeight);
  return Number.isFinite(numeric) && numeric >= 600;
}
