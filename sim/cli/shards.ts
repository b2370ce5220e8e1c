/**
 * Sharded sweeps: `densim sweep ... --shard i/n` runs the grid points k with k mod n = i and
 * writes a partial result (SHARD_FILE) with what `densim merge` needs to check that partials
 * belong together (the sweep's hash over every point's scenario, the seed, the replications,
 * the parameters, metrics and modes) and to assemble exactly the unsharded sweep.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { PointResult, SweepHeader } from "../experiment/sweep.js";
import { UsageError } from "./io.js";

/** The partial result's file name inside a shard's folder. */
export const SHARD_FILE = "sweep-shard.json";

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `--shard i/n`: 0 <= i < n. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UsageError(`--shard ${text}: expected i/n with 0 <= i < n, e.g. --shard 0/4, found ${JSON.stringify(text)}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new UsageError(`--shard ${text}: expected at least one shard (n >= 1), found n = ${count}`);
  if (index >= count) throw new UsageError(`--shard ${text}: expected a shard index below ${count} (shards are numbered 0 to ${count - 1}), found ${index}`);
  return { index, count };
}

/** Grid points of shard `s` among `total`: every n-th from i, so shards get similar mixes of small and large points. */
export const shardPoints = (s: Shard, total: number): number[] => Array.from({ length: total }, (_, k) => k).filter((k) => k % s.count === s.index);

export interface SweepShardFile {
  readonly densimSweepShard: 1;
  readonly tool: { readonly name: "densim"; readonly version: string };
  readonly shard: Shard;
  /** sha256 over every grid point's scenario hash (after --set, --seed, --replications). */
  readonly hash: string;
  /** Grid points in the whole sweep. */
  readonly points: number;
  /** The report folder the unsharded sweep would write (merge's default). */
  readonly folder: string;
  /** `--mode`, empty for all. */
  readonly modes: readonly string[];
  readonly header: SweepHeader;
  /** This shard's points, by grid index, ascending. */
  readonly results: readonly { readonly index: number; readonly outcome: PointResult }[];
}

/** The partial file as text: sorted, fixed key order, so reruns are byte-identical. */
export const shardJson = (s: SweepShardFile): string => `${JSON.stringify(s, null, 2)}\n`;

const shardSchema = z.object({
  densimSweepShard: z.literal(1),
  tool: z.object({ name: z.literal("densim"), version: z.string() }),
  shard: z.object({ index: z.number().int().min(0), count: z.number().int().min(1) }),
  hash: z.string(),
  points: z.number().int().min(1),
  folder: z.string(),
  modes: z.array(z.string()),
  header: z.object({
    scenario: z.object({ name: z.string(), title: z.string(), file: z.string() }),
    parameters: z.array(z.object({ path: z.string(), values: z.array(z.string()) })),
    metrics: z.array(z.object({ name: z.string(), label: z.string(), unit: z.string() })),
    overrides: z.array(z.string()),
    seed: z.number(),
    replications: z.number(),
  }),
  results: z.array(z.object({ index: z.number().int().min(0), outcome: z.array(z.object({ mode: z.string(), kind: z.string(), point: z.record(z.string(), z.unknown()) })) })),
});

/** Reads `<dir>/sweep-shard.json`; a missing or malformed one is the user's mistake. */
export function readShard(dir: string): SweepShardFile {
  const path = join(dir, SHARD_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: expected a partial sweep written by densim sweep --shard, found ${code === "ENOENT" ? "no such file" : `an unreadable file (${code ?? "error"})`}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${path}: expected a partial sweep (JSON), found text that is not JSON`);
  }
  const r = shardSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new UsageError(`${path}: ${issue?.path.join(".") || "(file)"}: expected a partial sweep as densim writes it: ${issue?.message ?? "invalid"}`);
  }
  const s = value as SweepShardFile;
  if (s.shard.index >= s.shard.count) throw new UsageError(`${path}: shard: expected an index below ${s.shard.count}, found ${s.shard.index}`);
  return s;
}

/**
 * Checks that the partials are every shard of one sweep, once each, and returns every point's
 * outcome in grid order with the header. Mismatches are usage errors naming the folders.
 */
export function mergeShards(parts: readonly { dir: string; shard: SweepShardFile }[]): { header: SweepHeader; outcomes: PointResult[]; first: SweepShardFile } {
  const first = parts[0];
  if (!first) throw new UsageError("merge: expected at least one shard folder, found none");
  const a = first.shard;
  for (const { dir, shard: b } of parts.slice(1)) {
    const differs = (what: string, x: unknown, y: unknown): UsageError =>
      new UsageError(`merge: expected shards of one sweep (same scenario, --vary, --set, --seed, --replications, --mode, --metric), found ${first.dir} and ${dir} with different ${what}: ${JSON.stringify(x)} and ${JSON.stringify(y)}`);
    if (b.header.scenario.name !== a.header.scenario.name) throw differs("scenarios", a.header.scenario.name, b.header.scenario.name);
    if (b.header.seed !== a.header.seed) throw differs("seeds", a.header.seed, b.header.seed);
    if (b.header.replications !== a.header.replications) throw differs("replications", a.header.replications, b.header.replications);
    if (JSON.stringify(b.header.parameters) !== JSON.stringify(a.header.parameters)) throw differs("parameters", a.header.parameters, b.header.parameters);
    if (JSON.stringify(b.header.metrics.map((m) => m.name)) !== JSON.stringify(a.header.metrics.map((m) => m.name)))
      throw differs("metrics", a.header.metrics.map((m) => m.name), b.header.metrics.map((m) => m.name));
    if (JSON.stringify(b.modes) !== JSON.stringify(a.modes)) throw differs("--mode", a.modes, b.modes);
    if (b.hash !== a.hash) throw differs("scenario hashes (the scenario file, --set or its traces differ)", a.hash.slice(0, 16), b.hash.slice(0, 16));
    if (b.shard.count !== a.shard.count) throw differs("shard counts", a.shard.count, b.shard.count);
    if (b.tool.version !== a.tool.version) throw differs("densim versions", a.tool.version, b.tool.version);
  }
  const count = a.shard.count;
  const seen = new Map<number, string>();
  for (const { dir, shard } of parts) {
    const other = seen.get(shard.shard.index);
    if (other !== undefined) throw new UsageError(`merge: expected each shard once, found shard ${shard.shard.index}/${count} twice: ${other} and ${dir}`);
    seen.set(shard.shard.index, dir);
  }
  const missing = Array.from({ length: count }, (_, k) => k).filter((k) => !seen.has(k));
  if (missing.length) throw new UsageError(`merge: expected every shard's folder, found shard${missing.length === 1 ? "" : "s"} ${missing.map((k) => `${k}/${count}`).join(", ")} missing`);
  const outcomes: (PointResult | undefined)[] = new Array<PointResult | undefined>(a.points).fill(undefined);
  for (const { dir, shard } of parts) {
    const expected = shardPoints(shard.shard, a.points);
    const got = shard.results.map((r) => r.index);
    if (JSON.stringify(expected) !== JSON.stringify(got))
      throw new UsageError(`merge: ${join(dir, SHARD_FILE)}: expected the points ${expected.join(",")} of shard ${shard.shard.index}/${count}, found ${got.join(",")}`);
    for (const r of shard.results) outcomes[r.index] = r.outcome;
  }
  return { header: a.header, outcomes: outcomes as PointResult[], first: a };
}
