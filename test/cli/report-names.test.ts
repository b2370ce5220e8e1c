import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../sim/cli/io.js";
import { checkFolderName, chooseFolderName, folderNameProblem, MAX_BASE_CHARS, reportFolderName, variantTag } from "../../sim/cli/report-names.js";

const HASH = "0123456789abcdef";

describe("report folder names", () => {
  it("a scenario as written keeps its name; a variant gets @ and 8 hex digits of its hash", () => {
    expect(chooseFolderName("quickstart", { variant: false, hash: HASH, modes: [] })).toBe("quickstart");
    expect(chooseFolderName("quickstart", { variant: true, hash: HASH, modes: [] })).toBe("quickstart@01234567");
    expect(chooseFolderName("quickstart", { name: "mine", variant: true, hash: HASH, modes: ["vm"] })).toBe("mine");
  });

  it("the mode selection makes a variant distinct, whatever its order or repeats", () => {
    const vm = variantTag(HASH, ["vm", "container"]);
    expect(vm).toMatch(/^[0-9a-f]{8}$/);
    expect(vm).not.toBe(variantTag(HASH, []));
    expect(vm).not.toBe(variantTag(HASH, ["vm"]));
    expect(variantTag(HASH, ["container", "vm", "vm"])).toBe(vm);
  });

  it("property: every name made is one short path component, and different long names stay different", () => {
    const slug = fc.stringMatching(/^[a-z0-9._-]{1,400}$/);
    fc.assert(
      fc.property(slug, slug, fc.option(fc.stringMatching(/^[0-9a-f]{8}$/), { nil: undefined }), (a, b, tag) => {
        const na = reportFolderName(a, tag);
        expect(na.length).toBeLessThanOrEqual(MAX_BASE_CHARS + 9);
        expect(na).not.toMatch(/[/\\]/);
        if (a.length <= MAX_BASE_CHARS) expect(na).toBe(tag === undefined ? a : `${a}@${tag}`);
        if (a !== b) expect(reportFolderName(b, tag)).not.toBe(na);
      }),
    );
  });

  it.each(["quickstart", "Q3 plan", "a.b_c-d", "x".repeat(100), "été"])("accepts --name %s", (name) => {
    expect(folderNameProblem(name)).toBeUndefined();
  });

  it.each([
    ["", /empty/],
    ["x".repeat(101), /at most 100 characters, found 101/],
    ["a/b", /found "\/"/],
    ["a\\b", /found "\\"/],
    ["..", /\.\./],
    ["a..b", /\.\./],
    [".", /found "\."/],
    ["a\nb", /control characters, found U\+000A/],
    ["a\u0000b", /U\+0000/],
    [".densim-lock", /densim's own/],
    [" x", /spaces/],
    ["a:b", /found ":"/],
  ])("refuses --name %j", (name, why) => {
    expect(folderNameProblem(name)).toMatch(why);
    expect(() => checkFolderName(name)).toThrow(UsageError);
    expect(() => checkFolderName(name)).toThrow(/^--name /);
  });
});
