/**
 * Report folders that densim shares with its users: a run replaces, each atomically, only the
 * files the folder's manifest says densim wrote, and never touches any other file there.
 *
 * Protocol, one writer at a time under `.densim-lock` (O_EXCL, holds the pid; stale when it dies):
 *  1. each new file, then the new manifest and the journal (the old and the new files), is
 *     written to `.densim-tmp-<pid>-<name>` in the folder and fsynced; an interrupt or a refused
 *     write (a full disk, a read-only folder: an OutputError, exit 1) here removes the temporary
 *     files and leaves the old report as it was;
 *  2. the commit, synchronous (SIGINT/SIGTERM wait for its end) and taking no space: the journal
 *     is renamed into place, then each new file onto its name;
 *  3. files the same command wrote earlier and does not write now are removed, if unchanged since;
 *  4. `.densim-manifest.json` is renamed into place last, then the journal removed.
 * A crash at any point leaves every file either its old or its new complete version; the journal
 * tells the next run which files are densim's, and that run removes stale temporary files.
 */
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, type Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { constants as osConstants } from "node:os";
import { basename, dirname, join } from "node:path";
import { getSystemErrorMap } from "node:util";
import { SignalWatch } from "./interrupts.js";
import { isOsError, OutputError, UsageError } from "./io.js";
import { isAlive, ReportLock, unlinkQuiet, writeWholeFile } from "./report-lock.js";

export { InterruptedError, signalExitCode } from "./interrupts.js";

/**
 * A file written as a stream of chunks (CSV rows of millions of instances): never held whole in
 * memory; its size and sha256 are computed as it is written.
 */
export interface StreamedFile {
  readonly chunks: () => Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;
}

export type ReportData = string | Uint8Array | StreamedFile;

export type ReportFiles = readonly (readonly [string, ReportData])[];

const isStreamed = (d: ReportData): d is StreamedFile => typeof d === "object" && !(d instanceof Uint8Array);

export const MANIFEST_FILE = ".densim-manifest.json";
export const JOURNAL_FILE = ".densim-journal.json";
export const LOCK_FILE = ".densim-lock";
export const TEMP_PREFIX = ".densim-tmp-";

export interface ManifestEntry {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
  /** The command that wrote it: `run`, `sweep`, ... A command replaces and removes only its own files. */
  readonly command: string;
}

/** What `.densim-manifest.json` holds: no timestamps, files sorted by name, so reruns are identical. */
export interface Manifest {
  readonly densimManifest: 1;
  /** The densim that wrote the manifest last. */
  readonly tool: { readonly name: "densim"; readonly version: string };
  readonly files: readonly ManifestEntry[];
}

/** While a write commits: every file densim may own then, old and new versions alike. */
interface Journal {
  readonly densimJournal: 1;
  readonly files: readonly ManifestEntry[];
}

export interface WriteReportOptions {
  /** The command writing the report: it replaces or removes only files it wrote earlier. */
  readonly command: string;
  /** Write into a folder densim did not write, replacing files with the names it writes. Deletes nothing it did not write. */
  readonly force?: boolean;
  /** How long to wait for another densim writing the same folder, in ms (default 10 000). */
  readonly lockWaitMs?: number;
  /** Tool version for the manifest (default: densim's). */
  readonly toolVersion?: string;
}

export interface WriteReportResult {
  readonly dir: string;
  /** Files written, in the order given. */
  readonly written: readonly string[];
  /** Files an earlier run wrote that this one does not, removed. */
  readonly removed: readonly string[];
  /** Files an earlier run wrote that this one does not, kept because they changed since. */
  readonly kept: readonly string[];
}

const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");
const entryOf = (name: string, data: string | Uint8Array, command: string): ManifestEntry => ({
  name,
  bytes: typeof data === "string" ? Buffer.byteLength(data, "utf8") : data.byteLength,
  sha256: sha256(data),
  command,
});
const byName = (a: ManifestEntry, b: ManifestEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const isOwnName = (n: string): boolean => n === MANIFEST_FILE || n === JOURNAL_FILE || n === LOCK_FILE || n.startsWith(TEMP_PREFIX);
const tempName = (name: string, pid = process.pid): string => `${TEMP_PREFIX}${pid}-${name}`;

/** What a report folder holds before a write, after the checks that need no file contents. */
interface FolderState {
  readonly created: boolean;
  /** Every file version densim recorded there (manifest, and journal of an unfinished write). */
  readonly known: readonly ManifestEntry[];
}

/**
 * Checks, writing nothing, that `dir` may receive a report: it is absent, empty, or holds
 * densim's manifest (or `force`). Throws a UsageError if not.
 */
export function checkReportFolder(dir: string, options: Pick<WriteReportOptions, "force">): void {
  inspect(dir, options);
}

function inspect(dir: string, options: Pick<WriteReportOptions, "force">): FolderState {
  const force = options.force === true;
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { created: true, known: [] };
    if (code === "ENOTDIR") throw notAFolder(dir);
    throw e;
  }
  if (!st.isDirectory()) throw new UsageError(`${dir}: expected a report folder (pick another --out or --name), found ${kindOf(st)}`);
  const manifest = readRecord(join(dir, MANIFEST_FILE), isManifest);
  const journal = readRecord(join(dir, JOURNAL_FILE), isJournal);
  const foreignEntries = readdirSync(dir).filter((n) => !isOwnName(n));
  const pass = "pass --force to write the report into it (densim deletes no file it did not write), or pick another --out or --name";
  if (manifest === "invalid" || journal === "invalid") {
    if (!force) throw new UsageError(`${join(dir, manifest === "invalid" ? MANIFEST_FILE : JOURNAL_FILE)}: expected a densim manifest as this version writes it, found something else; ${pass}`);
    return { created: false, known: [] };
  }
  if (manifest === undefined && journal === undefined) {
    const legacy = legacyReport(dir, foreignEntries);
    if (legacy) return { created: false, known: legacy };
    if (foreignEntries.length > 0 && !force) throw new UsageError(`${dir}: expected an empty folder or one densim wrote (with ${MANIFEST_FILE}), found other files and no ${MANIFEST_FILE}; ${pass}`);
    return { created: false, known: [] };
  }
  return { created: false, known: [...(manifest?.files ?? []), ...(journal?.files ?? [])] };
}

const kindOf = (st: Stats): string =>
  st.isFile() ? "a file" : st.isCharacterDevice() ? "a character device" : st.isBlockDevice() ? "a block device" : st.isFIFO() ? "a named pipe" : st.isSocket() ? "a socket" : "something else";

/** `--out /dev/full`, `--out results.json`: the report root, or a folder above it, is not a folder. */
function notAFolder(dir: string): UsageError {
  for (let p = dirname(dir); ; p = dirname(p)) {
    try {
      const st = statSync(p);
      if (!st.isDirectory()) return new UsageError(`--out: expected a folder or a path densim can create, found ${p}, ${kindOf(st)}`);
    } catch {
      // missing or itself under a file: look further up
    }
    if (dirname(p) === p) return new UsageError(`${dir}: expected a path to a folder, found a file where a folder should be`);
  }
}

/** Files densim 0.1 wrote into a run's report folder, before report folders had a manifest. */
const LEGACY_NAME = /^(results\.json|instances\.csv|timeseries\.csv|[a-z0-9-]+\.(svg|png|vl\.json))$/;

/**
 * A run report written by densim before manifests (a results.json written by densim,
 * and nothing but the files such a run writes): adopted as densim's own, each file recorded as it
 * is, so a rerun replaces them and removes the charts it no longer writes. Anything else in the
 * folder makes it a folder densim did not write.
 */
function legacyReport(dir: string, entries: readonly string[]): ManifestEntry[] | undefined {
  if (!entries.includes("results.json") || !entries.every((n) => LEGACY_NAME.test(n))) return undefined;
  try {
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as { schemaVersion?: unknown; tool?: { name?: unknown } };
    if ((results.schemaVersion !== 1 && results.schemaVersion !== 2) || results.tool?.name !== "densim") return undefined;
    return entries.map((name) => {
      const path = join(dir, name);
      if (!lstatSync(path).isFile()) throw new Error("not a file");
      const data = readFileSync(path);
      return { name, bytes: data.length, sha256: createHash("sha256").update(data).digest("hex"), command: "run" };
    });
  } catch {
    return undefined;
  }
}

function readRecord<T>(path: string, valid: (v: unknown) => v is T): T | "invalid" | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  try {
    const value: unknown = JSON.parse(text);
    return valid(value) ? value : "invalid";
  } catch {
    return "invalid";
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isEntries = (v: unknown): v is ManifestEntry[] =>
  Array.isArray(v) &&
  v.every(
    (e) => isRecord(e) && typeof e.name === "string" && fileNameProblem(e.name) === undefined && typeof e.bytes === "number" && typeof e.sha256 === "string" && typeof e.command === "string",
  );
const isManifest = (v: unknown): v is Manifest => isRecord(v) && v.densimManifest === 1 && isEntries(v.files);
const isJournal = (v: unknown): v is Journal => isRecord(v) && v.densimJournal === 1 && isEntries(v.files);

function fileNameProblem(name: string): string | undefined {
  if (name === "" || name === "." || name === ".." || /[/\\\u0000]/.test(name)) return "is not a single file name";
  if (isOwnName(name)) return "is a name densim keeps for itself";
  return undefined;
}

/**
 * Writes `files` into the report folder `dir` (created if absent): each file atomically, the
 * manifest last; removes files the same command wrote earlier and does not write now, unless
 * changed since; leaves every other file alone (other commands' files stay in the manifest).
 * Throws a UsageError for a folder densim did not write (without `force`) or another densim
 * writing it, InterruptedError on SIGINT/SIGTERM.
 */
export async function writeReport(dir: string, files: ReportFiles, options: WriteReportOptions): Promise<WriteReportResult> {
  const names = new Set<string>();
  for (const [name] of files) {
    const problem = fileNameProblem(name);
    if (problem !== undefined) throw new Error(`writeReport: ${JSON.stringify(name)} ${problem}`);
    if (names.has(name)) throw new Error(`writeReport: ${name} given twice`);
    names.add(name);
  }
  const before = inspect(dir, options);
  const toolVersion = options.toolVersion ?? (await import("../experiment/experiment.js")).TOOL_VERSION;
  const signals = new SignalWatch();
  let lock: ReportLock | undefined;
  const temps: string[] = [];
  let committed = false;
  try {
    guard(dir, () => mkdirSync(dir, { recursive: true }));
    const waitMs = options.lockWaitMs ?? (testPause("DENSIM_TEST_LOCK_WAIT_MS") || 10_000);
    const lockPath = join(dir, LOCK_FILE);
    lock = await guardAsync(lockPath, () => ReportLock.acquire(lockPath, join(dir, tempName("lock")), waitMs, signals));
    const state = inspect(dir, options); // again, under the lock: another writer may have been first
    removeStaleTemps(dir);
    const owned = new Set(state.known.map((e) => e.name));
    // Files given whole are checked before anything is written; streamed ones once written (their digest is known then).
    const early = files.map(([name, data]) => (isStreamed(data) ? undefined : entryOf(name, data, options.command)));
    checkCollisions(dir, files, early, owned, options.force === true);

    // Everything that takes space is written before the commit, so a full disk leaves the old report as it was.
    const entries: ManifestEntry[] = [];
    for (const [k, [name, data]] of files.entries()) {
      signals.check(dir, false);
      const tmp = join(dir, tempName(name));
      temps.push(tmp);
      if (isStreamed(data)) entries.push({ name, ...(await writeStreamed(tmp, join(dir, name), data, () => signals.check(dir, false))), command: options.command });
      else {
        await writeDurable(tmp, join(dir, name), data);
        entries.push(early[k] as ManifestEntry);
      }
    }
    checkCollisions(dir, files, entries, owned, options.force === true);
    const { removed, kept, others } = settleOldFiles(dir, state.known, names, options.command);
    const manifest: Manifest = { densimManifest: 1, tool: { name: "densim", version: toolVersion }, files: [...entries, ...others].sort(byName) };
    const manifestTemp = join(dir, tempName(MANIFEST_FILE));
    temps.push(manifestTemp);
    writeTemp(manifestTemp, join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    const journalTemp = join(dir, tempName(JOURNAL_FILE));
    temps.push(journalTemp);
    writeTemp(journalTemp, join(dir, JOURNAL_FILE), `${JSON.stringify({ densimJournal: 1, files: [...state.known, ...entries] } satisfies Journal)}\n`);
    await signals.pause(testPause("DENSIM_TEST_PAUSE_BEFORE_COMMIT_MS"), "before commit");
    signals.check(dir, false);

    // The commit: synchronous from here to the manifest, so no signal handler runs in between;
    // renames and removals only, which take no space.
    guard(join(dir, JOURNAL_FILE), () => renameSync(journalTemp, join(dir, JOURNAL_FILE)));
    for (const [name] of files) guard(join(dir, name), () => renameSync(join(dir, tempName(name)), join(dir, name)));
    committed = true;
    syncDir(dir);
    sleepSync(testPause("DENSIM_TEST_PAUSE_BEFORE_MANIFEST_MS"), "before manifest");
    for (const name of removed) unlinkQuiet(join(dir, name));
    guard(join(dir, MANIFEST_FILE), () => renameSync(manifestTemp, join(dir, MANIFEST_FILE)));
    temps.length = 0;
    unlinkQuiet(join(dir, JOURNAL_FILE));
    syncDir(dir);
    // A signal that came during the commit is delivered now, while our handlers still listen.
    await signals.settle();
    signals.check(dir, true);
    return { dir, written: files.map(([n]) => n), removed, kept };
  } finally {
    signals.stop();
    // Temporary names only: files renamed by the commit are no longer there.
    for (const t of temps) removeQuietly(t);
    lock?.release();
    if (!committed && before.created) rmdirQuiet(dir);
  }
}

/** Runs a write to `target`; a refusal of the system becomes an OutputError naming it. */
function guard<T>(target: string, op: () => T): T {
  try {
    return op();
  } catch (e) {
    throw isOsError(e) ? new OutputError(target, e) : e;
  }
}

async function guardAsync<T>(target: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    throw isOsError(e) ? new OutputError(target, e) : e;
  }
}

/** Cleanup after a failure: never replaces the error that caused it. */
function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already, or the folder refuses: the next run removes stale temporary files
  }
}

/** A file a run writes that exists but is not densim's: refused unless --force or the same bytes. */
function checkCollisions(dir: string, files: ReportFiles, entries: readonly (ManifestEntry | undefined)[], owned: ReadonlySet<string>, force: boolean): void {
  files.forEach(([name], k) => {
    const path = join(dir, name);
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    if (st.isDirectory()) throw new UsageError(`${path}: expected a file densim writes, found a folder; move it, or pick another --out or --name`);
    if (owned.has(name) || force) return;
    if (entries[k] === undefined) return; // streamed: checked once written
    if (st.isFile() && st.size === entries[k]?.bytes && sha256(readFileSync(path)) === entries[k]?.sha256) return;
    throw new UsageError(`${path}: expected a file densim wrote, found one it did not write; pass --force to replace it, or pick another --out or --name`);
  });
}

/**
 * Files densim recorded that this write does not replace, by what is on disk now: this command's
 * are to be removed (by the commit), other commands' stay in the manifest, and one changed since densim wrote it is the
 * user's (kept, no longer listed).
 */
function settleOldFiles(
  dir: string,
  known: readonly ManifestEntry[],
  written: ReadonlySet<string>,
  command: string,
): { removed: string[]; kept: string[]; others: ManifestEntry[] } {
  const removed: string[] = [];
  const kept: string[] = [];
  const others: ManifestEntry[] = [];
  const names = [...new Set(known.map((e) => e.name))].filter((n) => !written.has(n)).sort();
  for (const name of names) {
    const path = join(dir, name);
    let digest: string | undefined;
    try {
      digest = lstatSync(path).isFile() ? sha256(readFileSync(path)) : undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw e;
    }
    const matching = known.filter((e) => e.name === name && e.sha256 === digest);
    const ours = matching.find((e) => e.command === command);
    const theirs = matching.find((e) => e.command !== command);
    if (theirs !== undefined) others.push(theirs);
    else if (ours !== undefined) removed.push(name);
    else if (known.some((e) => e.name === name && e.command === command)) kept.push(name);
  }
  return { removed, kept, others };
}

/** Removes temporary files of densim processes that are no longer alive (SIGKILL, power loss). */
function removeStaleTemps(dir: string): void {
  for (const n of readdirSync(dir)) {
    const m = /^\.densim-tmp-(\d+)-/.exec(n);
    if (m && (Number(m[1]) === process.pid || !isAlive(Number(m[1])))) unlinkQuiet(join(dir, n));
  }
}

async function writeDurable(path: string, target: string, data: string | Uint8Array): Promise<void> {
  const handle = await guardAsync(target, () => open(path, "wx"));
  try {
    await guardAsync(target, async () => {
      injectFault(target, typeof data === "string" ? Buffer.byteLength(data, "utf8") : data.byteLength);
      await handle.writeFile(data);
      await handle.sync();
    });
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Writes a streamed file in blocks of about 1 MiB, hashing as it goes; `check` runs between blocks
 * (signals). Errors of the chunks' source pass as they are; the file system's become OutputErrors.
 */
async function writeStreamed(path: string, target: string, file: StreamedFile, check: () => void): Promise<{ bytes: number; sha256: string }> {
  const handle = await guardAsync(target, () => open(path, "wx"));
  const hash = createHash("sha256");
  let bytes = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const block = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    hash.update(block);
    bytes += block.byteLength;
    await guardAsync(target, async () => {
      injectFault(target, bytes);
      await writeAll(handle, block);
    });
    check();
  };
  try {
    for await (const chunk of file.chunks()) {
      const b = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      pending.push(b);
      pendingBytes += b.byteLength;
      if (pendingBytes >= 1 << 20) await flush();
    }
    await flush();
    await guardAsync(target, () => handle.sync());
  } finally {
    await handle.close().catch(() => undefined);
  }
  return { bytes, sha256: hash.digest("hex") };
}

/**
 * One write may take only part of a block (a disk filling up takes what fits, and the error comes
 * with the next write): write until all of it is taken, or the system refuses.
 */
async function writeAll(handle: FileHandle, block: Buffer): Promise<void> {
  for (let offset = 0; offset < block.byteLength; ) {
    const { bytesWritten } = await handle.write(block, offset, block.byteLength - offset);
    if (bytesWritten <= 0) throw Object.assign(new Error("EIO: i/o error, write"), { code: "EIO", syscall: "write" });
    offset += bytesWritten;
  }
}

/** Writes and fsyncs the temporary file of `target` (the journal, the manifest). */
function writeTemp(path: string, target: string, text: string): void {
  guard(target, () => {
    injectFault(target, Buffer.byteLength(text, "utf8"));
    writeWholeFile(path, "w", text, true);
  });
}

/**
 * The test seam for refused writes where no small or read-only file system can be mounted:
 * DENSIM_TEST_WRITE_FAULT=<ERRNO>:<file name>[:<bytes>] fails the write of that report file
 * (e.g. instances.csv, .densim-manifest.json) with that error once it would hold more than
 * <bytes> bytes (default 0), as the system would.
 */
function injectFault(target: string, bytesAfterWrite: number): void {
  const spec = process.env.DENSIM_TEST_WRITE_FAULT;
  if (!spec) return;
  const [code = "", name = "", after = "0"] = spec.split(":");
  if (basename(target) !== name || !(bytesAfterWrite > Number(after))) return;
  const errno = (osConstants.errno as Record<string, number | undefined>)[code];
  const text = errno === undefined ? "injected fault" : (getSystemErrorMap().get(-errno)?.[1] ?? "injected fault");
  throw Object.assign(new Error(`${code}: ${text}, write`), { code, errno: -(errno ?? 0), syscall: "write" });
}

/** Makes renames durable; folders cannot be opened for fsync on every platform, hence best effort. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Windows: EISDIR/EPERM. The renames are still atomic, only not yet durable.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function rmdirQuiet(dir: string): void {
  try {
    rmdirSync(dir); // only if empty: a folder we made and did not fill
  } catch {
    // not empty or already gone: leave it
  }
}

/** Test-only waits (DENSIM_TEST_*_MS): pauses that make an interrupt land at a known step, a shorter lock wait. */
function testPause(variable: string): number {
  const ms = Number(process.env[variable] ?? 0);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

function sleepSync(ms: number, label: string): void {
  if (ms <= 0) return;
  process.stderr.write(`densim: test pause ${label}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
