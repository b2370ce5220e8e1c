import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeHtml, escapeMarkdown, markdownFence, scriptJson } from "../../sim/report/escape.js";

const HOSTILE = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "it's a 'quote' & \"double\"",
  "bell\u0007 nul\u0000 esc\u001b del\u007f c1\u0085 end",
  "lone \uD800 surrogate \uDC00 pair 😀",
  "</title><!-- --> ]]>",
];

const decodeHtml = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e] as string);

describe("escapeHtml", () => {
  it.each(HOSTILE)("leaves no markup or control character in %j", (text) => {
    const out = escapeHtml(text);
    expect(out).not.toMatch(/[<>"']/);
    expect(out).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("keeps text, tabs, newlines and emoji as they are", () => {
    expect(escapeHtml("a\tb\nc 😀 ×")).toBe("a\tb\nc 😀 ×");
    expect(escapeHtml("<b>")).toBe("&lt;b&gt;");
    expect(escapeHtml("bell\u0007")).toBe("bell\uFFFD");
  });

  it("round-trips any text without control characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const clean = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g, "");
        expect(decodeHtml(escapeHtml(clean))).toBe(clean);
      }),
    );
  });
});

describe("scriptJson", () => {
  it("cannot end a script element and parses back to the same value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...HOSTILE), (v, hostile) => {
        const value = { v, hostile, text: "</script><script>alert(1)</script>\u2028<!--" };
        const out = scriptJson(value);
        expect(out).not.toMatch(/<|>|&|\u2028|\u2029/);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe("escapeMarkdown", () => {
  it("escapes every pipe, so a table cell never splits", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = escapeMarkdown(s);
        expect(out).not.toMatch(/(^|[^\\])(\\\\)*\|/);
        expect(out).not.toMatch(/[\n\r<>]/);
      }),
    );
  });

  it("turns syntax into text", () => {
    expect(escapeMarkdown("a | b")).toBe("a \\| b");
    expect(escapeMarkdown("*bold* _it_ `code` [link](x) ~s~")).toBe("\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\~s\\~");
    expect(escapeMarkdown("<script>alert(1)</script>")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(escapeMarkdown("# not a heading")).toBe("\\# not a heading");
    expect(escapeMarkdown("- not a list")).toBe("\\- not a list");
    expect(escapeMarkdown("1. not a list")).toBe("1\\. not a list");
    expect(escapeMarkdown("two\nlines")).toBe("two lines");
    expect(escapeMarkdown("nul\u0000")).toBe("nul\uFFFD");
    expect(escapeMarkdown("web-fleet 1.5 GiB")).toBe("web-fleet 1.5 GiB");
    expect(escapeMarkdown("3.0 GiB")).toBe("3.0 GiB");
    expect(escapeMarkdown("-1.5")).toBe("-1.5");
    expect(escapeMarkdown("---")).toBe("\\---");
  });
});

describe("markdownFence", () => {
  it("uses a fence longer than any backtick run inside", () => {
    const block = markdownFence("a: 1\n```\nb: ````\n", "yaml");
    expect(block.startsWith("`````yaml\n")).toBe(true);
    expect(block.endsWith("\n`````")).toBe(true);
    expect(markdownFence("x: 1")).toBe("```\nx: 1\n```");
  });
});
