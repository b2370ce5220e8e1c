/**
 * writeReport in temporary folders: densim replaces only what its manifest says it wrote, refuses
 * folders it did not write, and cleans up after processes that died mid-write.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../sim/cli/io.js";
import { checkReportFolder, JOURNAL_FILE, LOCK_FILE, MANIFEST_FILE, writeReport, type Manifest, type ReportFiles } from "../../sim/cli/report-files.js";

const made: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "densim-report-files-"));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const RUN = { command: "run", toolVersion: "9.9.9" } as const;
const sha = (b: Buffer | string): string => createHash("sha256").update(b).digest("hex");

/** Every file in `dir` (recursively) with its bytes, to compare a folder before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        out[`${prefix}${n}/`] = "";
        walk(p, `${prefix}${n}/`);
      } else out[`${prefix}${n}`] = readFileSync(p).toString("base64");
    }
  };
  walk(dir, "");
  return out;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, MANIFEST_FILE), "utf8")) as Manifest;

/** A pid that is certainly not alive: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", ""]);
  return r.pid as number;
}

async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UsageError);
  return e as UsageError;
}

describe("writeReport", () => {
  it("writes the files and a manifest with their sizes and sha256, sorted, and nothing else", async () => {
    const dir = join(freshDir(), "r");
    const files: ReportFiles = [
      ["results.json", '{"a":1}\n'],
      ["b.png", new Uint8Array([137, 80, 78, 71])],
      ["a.svg", "<svg/>"],
    ];
    const r = await writeReport(dir, files, RUN);
    expect(r.written).toEqual(["results.json", "b.png", "a.svg"]);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, "a.svg", "b.png", "results.json"]);
    expect(readManifest(dir)).toEqual({
      densimManifest: 1,
      tool: { name: "densim", version: "9.9.9" },
      files: [
        { name: "a.svg", bytes: 6, sha256: sha("<svg/>"), command: "run" },
        { name: "b.png", bytes: 4, sha256: sha(Buffer.from([137, 80, 78, 71])), command: "run" },
        { name: "results.json", bytes: 8, sha256: sha('{"a":1}\n'), command: "run" },
      ],
    });
    const first = readFileSync(join(dir, MANIFEST_FILE));
    await writeReport(dir, files, RUN);
    expect(readFileSync(join(dir, MANIFEST_FILE)).equals(first)).toBe(true);
  });

  it("keeps a user's file on a rerun, and removes only files densim wrote and no longer writes", async () => {
    const dir = join(freshDir(), "r");
    await writeReport(dir, [["results.json", "1"], ["a.svg", "s"], ["a.csv", "c"], ["b.csv", "c2"]], RUN);
    writeFileSync(join(dir, "notes.md"), "mine");
    writeFileSync(join(dir, "b.csv"), "edited by the user");
    const r = await writeReport(dir, [["results.json", "2"], ["a.png", "p"]], RUN);
    expect(r.removed).toEqual(["a.csv", "a.svg"]);
    expect(r.kept).toEqual(["b.csv"]);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, "a.png", "b.csv", "notes.md", "results.json"]);
    expect(readFileSync(join(dir, "notes.md"), "utf8")).toBe("mine");
    expect(readFileSync(join(dir, "b.csv"), "utf8")).toBe("edited by the user");
    expect(readFileSync(join(dir, "results.json"), "utf8")).toBe("2");
    expect(readManifest(dir).files.map((f) => f.name)).toEqual(["a.png", "results.json"]);
  });

  it("refuses a non-empty folder without a manifest and leaves it byte for byte as it was", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "results.json"), "someone else's");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "x"), "x");
    const before = snapshot(dir);
    const e = await usageError(writeReport(dir, [["results.json", "1"]], RUN));
    expect(e.message).toContain(dir);
    expect(e.message).toContain("--force");
    expect(e.message).toMatch(/--out or --name/);
    expect(() => checkReportFolder(dir, {})).toThrow(UsageError);
    expect(snapshot(dir)).toEqual(before);
  });

  it("adopts a run report an older densim wrote without a manifest; refuses one with a file of the user's in it", async () => {
    const legacy = JSON.stringify({ schemaVersion: 1, tool: { name: "densim", version: "0.1.0" } });
    const dir = freshDir();
    writeFileSync(join(dir, "results.json"), legacy);
    writeFileSync(join(dir, "density.svg"), "<svg/>");
    writeFileSync(join(dir, "victims.vl.json"), "{}");
    await writeReport(dir, [["results.json", "new"], ["density.svg", "<svg>new</svg>"]], RUN);
    // The chart it no longer writes goes; the ones it writes are replaced; a manifest now says so.
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, "density.svg", "results.json"]);
    expect(readFileSync(join(dir, "results.json"), "utf8")).toBe("new");

    const mine = freshDir();
    writeFileSync(join(mine, "results.json"), legacy);
    writeFileSync(join(mine, "notes.txt"), "talk notes");
    const before = snapshot(mine);
    await usageError(writeReport(mine, [["results.json", "new"]], RUN));
    expect(snapshot(mine)).toEqual(before);
  });

  it("--force adopts such a folder: writes its files and a manifest, deletes nothing it did not write", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "results.json"), "old");
    writeFileSync(join(dir, "keep.txt"), "keep");
    await writeReport(dir, [["results.json", "new"], ["a.svg", "s"]], { ...RUN, force: true });
    expect(readFileSync(join(dir, "results.json"), "utf8")).toBe("new");
    expect(readFileSync(join(dir, "keep.txt"), "utf8")).toBe("keep");
    expect(readManifest(dir).files.map((f) => f.name)).toEqual(["a.svg", "results.json"]);
    // Adopted: later runs need no --force, and still leave keep.txt.
    await writeReport(dir, [["results.json", "newer"]], RUN);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, "keep.txt", "results.json"]);
  });

  it("accepts an empty folder, and one left by a first run that died before its manifest", async () => {
    const empty = freshDir();
    await writeReport(empty, [["results.json", "1"]], RUN);
    expect(existsSync(join(empty, MANIFEST_FILE))).toBe(true);

    const died = freshDir();
    writeFileSync(join(died, "results.json"), "new");
    writeFileSync(join(died, `.densim-tmp-${deadPid()}-a.svg`), "half");
    writeFileSync(join(died, JOURNAL_FILE), JSON.stringify({ densimJournal: 1, files: [{ name: "results.json", bytes: 3, sha256: sha("new"), command: "run" }] }));
    writeFileSync(join(died, LOCK_FILE), `${deadPid()}\n`);
    await writeReport(died, [["results.json", "2"]], RUN);
    expect(readdirSync(died).sort()).toEqual([MANIFEST_FILE, "results.json"]);
  });

  it("refuses to replace a user's file with a name densim writes, unless --force or the same bytes", async () => {
    const dir = freshDir();
    await writeReport(dir, [["results.json", "1"]], RUN);
    writeFileSync(join(dir, "instances.csv"), "the user's");
    const before = snapshot(dir);
    const e = await usageError(writeReport(dir, [["results.json", "2"], ["instances.csv", "ours"]], RUN));
    expect(e.message).toContain(join(dir, "instances.csv"));
    expect(snapshot(dir)).toEqual(before);
    writeFileSync(join(dir, "instances.csv"), "ours");
    await writeReport(dir, [["results.json", "2"], ["instances.csv", "ours"]], RUN);
    expect(readManifest(dir).files.map((f) => f.name)).toEqual(["instances.csv", "results.json"]);
  });

  it("shares a folder between commands: each replaces and removes only its own files", async () => {
    const dir = freshDir();
    const SWEEP = { command: "sweep", toolVersion: "9.9.9" };
    await writeReport(dir, [["sweep.json", "{}"], ["sweep.svg", "s"]], SWEEP);
    await writeReport(dir, [["results.json", "1"], ["a.svg", "a"]], RUN);
    await writeReport(dir, [["results.json", "2"]], RUN);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, "results.json", "sweep.json", "sweep.svg"]);
    await writeReport(dir, [["sweep.json", "{ }"]], SWEEP);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, "results.json", "sweep.json"]);
    expect(readManifest(dir).files.map((f) => [f.name, f.command])).toEqual([
      ["results.json", "run"],
      ["sweep.json", "sweep"],
    ]);
  });

  it("refuses a manifest it cannot read, and a file where the folder should be", async () => {
    const bad = freshDir();
    writeFileSync(join(bad, MANIFEST_FILE), "{ not json");
    const before = snapshot(bad);
    expect((await usageError(writeReport(bad, [["results.json", "1"]], RUN))).message).toContain(MANIFEST_FILE);
    expect(snapshot(bad)).toEqual(before);

    const file = join(freshDir(), "r");
    writeFileSync(file, "a file");
    expect((await usageError(writeReport(file, [["results.json", "1"]], { ...RUN, force: true }))).message).toContain("expected a report folder");
    expect(readFileSync(file, "utf8")).toBe("a file");
  });

  it("refuses to put a file where a folder of that name is, even with --force", async () => {
    const dir = freshDir();
    mkdirSync(join(dir, "results.json"));
    writeFileSync(join(dir, "results.json", "inside"), "x");
    await usageError(writeReport(dir, [["results.json", "1"]], { ...RUN, force: true }));
    expect(readFileSync(join(dir, "results.json", "inside"), "utf8")).toBe("x");
  });

  it("removes temporary files of dead processes, keeps those of live ones", async () => {
    const dir = freshDir();
    await writeReport(dir, [["results.json", "1"]], RUN);
    const stale = `.densim-tmp-${deadPid()}-results.json`;
    const live = `.densim-tmp-${process.ppid}-results.json`;
    writeFileSync(join(dir, stale), "half");
    writeFileSync(join(dir, live), "busy");
    await writeReport(dir, [["results.json", "2"]], RUN);
    expect(readdirSync(dir).sort()).toEqual([live, MANIFEST_FILE, "results.json"].sort());
  });

  it("breaks a lock whose process died; waits for a live one, then fails with a clear usage error", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), `${deadPid()}\n`);
    await writeReport(dir, [["results.json", "1"]], RUN);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    const e = await usageError(writeReport(dir, [["results.json", "2"]], { ...RUN, lockWaitMs: 100 }));
    expect(e.message).toContain(`pid ${process.ppid}`);
    expect(e.message).toContain(join(dir, LOCK_FILE));
    expect(readFileSync(join(dir, "results.json"), "utf8")).toBe("1");
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.ppid}\n`);
  });

  it("does not leave a folder it created when it fails before writing", async () => {
    const root = freshDir();
    const dir = join(root, "r");
    await expect(writeReport(dir, [["results.json", "1"], ["results.json", "2"]], RUN)).rejects.toThrow(/twice/);
    await expect(writeReport(dir, [["../x", "1"]], RUN)).rejects.toThrow(/single file name/);
    await expect(writeReport(dir, [[MANIFEST_FILE, "1"]], RUN)).rejects.toThrow(/densim keeps/);
    expect(readdirSync(root)).toEqual([]);
  });

  it("property: after any sequence of reports, user files are untouched and densim's are exactly the last report", async () => {
    const pool = ["results.json", "a.svg", "a.png", "a.csv", "b.csv"];
    const userNames = ["notes.md", "b.svg", "x.json"];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ names: fc.subarray(pool, { minLength: 1 }), content: fc.nat(3) }), { minLength: 1, maxLength: 5 }),
        fc.subarray(userNames),
        async (reports, users) => {
          const dir = freshDir();
          await writeReport(dir, [["results.json", "first"]], RUN);
          for (const u of users) writeFileSync(join(dir, u), `user ${u}`);
          for (const r of reports) await writeReport(dir, r.names.map((n) => [n, `${n} ${r.content}`] as const), RUN);
          const last = reports.at(-1) as { names: string[]; content: number };
          for (const u of users) expect(readFileSync(join(dir, u), "utf8")).toBe(`user ${u}`);
          const ours = readdirSync(dir).filter((n) => !users.includes(n) && n !== MANIFEST_FILE);
          expect(ours.sort()).toEqual([...last.names].sort());
          for (const e of readManifest(dir).files) expect(sha(readFileSync(join(dir, e.name)))).toBe(e.sha256);
          rmSync(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: 40 },
    );
  });
});
