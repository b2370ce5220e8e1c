/**
 * Reading the files a scenario is made of (the scenario itself, its CSV traces) defensively:
 * only regular files, of bounded size, stat-ed before they are read, decoded as strict UTF-8
 * with the position of the first bad byte; traces only from inside the scenario's folder tree.
 */
import { openSync, closeSync, fstatSync, readSync, realpathSync, statSync, type Stats } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";

/** Largest scenario file read: far above any hand-written scenario (the bundled ones are < 10 kB). */
export const MAX_SCENARIO_BYTES = 10 * 1024 * 1024;
/** Largest CSV trace read. */
export const MAX_TRACE_BYTES = 100 * 1024 * 1024;

export type ReadOutcome =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly expected: string; readonly found: string; readonly line?: number; readonly col?: number };

const mib = (n: number): string => `${Math.round(n / 1024 / 1024)} MiB`;

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isFIFO()) return "a pipe (FIFO)";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

/** Reads `file` if it is a regular file of at most `maxBytes`, as strict UTF-8 (a BOM is dropped). */
export function readTextFile(file: string, maxBytes: number): ReadOutcome {
  const expected = `a regular UTF-8 text file of at most ${mib(maxBytes)}`;
  let fd: number;
  try {
    // Stat the path first: opening a FIFO for reading would block until a writer comes.
    const st = statSync(file);
    if (!st.isFile()) return { ok: false, expected, found: kindOf(st) };
    fd = openSync(file, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const found = code === "ENOENT" ? "no such file" : code === "EACCES" ? "a file it may not read (permission denied)" : (e as Error).message;
    return { ok: false, expected, found };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, expected, found: kindOf(st) };
    if (st.size > maxBytes) return { ok: false, expected, found: `${st.size} bytes` };
    // Read at most one byte more than allowed, in case the file grows while it is read.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n >= buf.length) return { ok: false, expected, found: `more than ${maxBytes} bytes` };
    }
    return decodeUtf8(buf.subarray(0, n), expected);
  } catch (e) {
    return { ok: false, expected, found: (e as Error).message };
  } finally {
    closeSync(fd);
  }
}

/** Strict UTF-8, or the line and column of the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, expected = "UTF-8 text"): ReadOutcome {
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    const loose = new TextDecoder("utf-8").decode(bytes);
    let offset = 0;
    let line = 1;
    let col = 1;
    for (const ch of loose) {
      const len = Buffer.byteLength(ch);
      const real = ch !== "\uFFFD" || (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd);
      if (!real) {
        const hex = (bytes[offset] ?? 0).toString(16).padStart(2, "0");
        return { ok: false, expected, found: `the byte 0x${hex}, which is not UTF-8`, line, col };
      }
      offset += len;
      if (ch === "\n") {
        line++;
        col = 1;
      } else col++;
    }
    return { ok: false, expected, found: "bytes that are not UTF-8", line, col };
  }
}

/**
 * Where a file named in a scenario is: relative to the scenario's folder, and inside it
 * (symbolic links followed), or why not.
 */
export function resolveInside(scenarioFile: string, name: string): { ok: true; path: string } | { ok: false; found: string } {
  if (isAbsolute(name)) return { ok: false, found: `an absolute path ${JSON.stringify(name)}` };
  let root: string;
  try {
    root = realpathSync(dirname(resolve(scenarioFile)));
  } catch {
    root = dirname(resolve(scenarioFile));
  }
  const full = resolve(root, name);
  const inside = (p: string): boolean => {
    const rel = relative(root, p);
    return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
  };
  if (!inside(full)) return { ok: false, found: `${JSON.stringify(name)}, which is outside the scenario's folder` };
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    return { ok: true, path: full };
  }
  if (!inside(real)) return { ok: false, found: `${JSON.stringify(name)}, a link to a file outside the scenario's folder` };
  return { ok: true, path: real };
}
