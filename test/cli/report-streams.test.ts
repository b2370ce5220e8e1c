/**
 * Streamed report files: writeReport writes a file given as chunks (sync or async, strings and
 * bytes, many MiB) exactly as the same bytes given whole, with its size and sha256 in the
 * manifest; a stream that fails leaves no file behind and the folder as it was. The CSV chunk
 * producers join to the same text as the one-string functions.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { MANIFEST_FILE, writeReport, type Manifest } from "../../sim/cli/report-files.js";

const made: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), "densim-streams-"));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
const RUN = { command: "run", toolVersion: "9.9.9" } as const;
const sha = (b: Buffer | string): string => createHash("sha256").update(b).digest("hex");

describe("writeReport with streamed files", () => {
  it("writes chunks as the same bytes given whole, with their size and sha256", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.string({ unit: "grapheme" }), fc.uint8Array({ maxLength: 64 })), { maxLength: 20 }), fc.boolean(), async (chunks, asynchronous) => {
        const dir = join(fresh(), "r");
        const whole = Buffer.concat(chunks.map((c) => (typeof c === "string" ? Buffer.from(c, "utf8") : Buffer.from(c))));
        const chunksOf = asynchronous
          ? async function* () {
              for (const c of chunks) yield c;
            }
          : function* () {
              yield* chunks;
            };
        await writeReport(dir, [["results.json", "{}\n"], ["instances.csv", { chunks: chunksOf }]], RUN);
        expect(readFileSync(join(dir, "instances.csv")).equals(whole)).toBe(true);
        const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), "utf8")) as Manifest;
        expect(m.files.find((f) => f.name === "instances.csv")).toEqual({ name: "instances.csv", bytes: whole.byteLength, sha256: sha(whole), command: "run" });
      }),
      { numRuns: 30 },
    );
  });

  it("writes a file of many MiB in blocks", async () => {
    const dir = join(fresh(), "r");
    const row = `${"x".repeat(99)}\n`;
    await writeReport(dir, [["big.csv", { chunks: function* () { for (let k = 0; k < 50_000; k++) yield row; } }]], RUN);
    const text = readFileSync(join(dir, "big.csv"), "utf8");
    expect(text.length).toBe(5_000_000);
    expect(sha(text)).toBe(sha(row.repeat(50_000)));
  });

  it("a stream that fails leaves the folder as it was", async () => {
    const dir = join(fresh(), "r");
    await writeReport(dir, [["results.json", "old\n"]], RUN);
    const before = readdirSync(dir).sort();
    const failing = {
      chunks: function* () {
        yield "a,b\n";
        throw new Error("disk on fire");
      },
    };
    await expect(writeReport(dir, [["results.json", "new\n"], ["instances.csv", failing]], RUN)).rejects.toThrow(/disk on fire/);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readFileSync(join(dir, "results.json"), "utf8")).toBe("old\n");
    expect(existsSync(join(dir, "instances.csv"))).toBe(false);
  });
});
