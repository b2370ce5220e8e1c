/**
 * Pre-copy live migration of one VM, as a pure function (docs/calibration.md `precopy`, `qemu-migration`,
 * `vmotion`): the first round sends all of memory while the guest runs; each later round re-sends what the
 * guest dirtied during the previous one; once what is left fits the downtime limit at the migration
 * bandwidth, the guest pauses and the rest is sent (stop-and-copy).
 *
 * Round k sends V_k bytes in V_k / B seconds: V_0 = M, V_{k+1} = min(D x V_k / B, W), with M the memory,
 * B the bandwidth, D the dirty rate and W the writable working set (M when not given). With D < B the
 * rounds shrink geometrically by D/B; with D >= B they never shrink below W, so the migration does not
 * converge: after `maxRounds` rounds the policy either forces the stop-and-copy (the pause is whatever is
 * left, over the limit) or gives up and cold-migrates (shut down, boot on the target; the pre-copy bytes
 * were sent for nothing).
 */

/** What to do when the rounds do not get under the stop threshold within maxRounds. */
export type NonConvergence = "force" | "cold";

export interface MigrationInput {
  readonly memoryBytes: number;
  /** The migration network share this VM gets, bytes per second. */
  readonly bandwidthBytesPerS: number;
  /** Bytes the guest dirties per second while it runs. */
  readonly dirtyRateBytesPerS: number;
  /** Most bytes one round can leave dirty (the writable working set); memoryBytes when absent. */
  readonly writableWorkingSetBytes?: number;
  /** Longest pause the stop-and-copy may take: the stop threshold is bandwidth x this. */
  readonly downtimeLimitS: number;
  /** Most pre-copy rounds, the first full copy included. */
  readonly maxRounds: number;
  readonly onNonConvergence: NonConvergence;
}

export interface MigrationOutcome {
  /** converged: the pause fits the limit; forced: stop-and-copy after maxRounds, pause over the limit; cold: gave up, the VM is cold-migrated. */
  readonly outcome: "converged" | "forced" | "cold";
  /** Pre-copy rounds run (the first full copy included). */
  readonly rounds: number;
  /** Bytes sent in each pre-copy round, in order. */
  readonly roundBytes: readonly number[];
  /** Bytes sent by the stop-and-copy (0 for cold). */
  readonly stopCopyBytes: number;
  /** Every byte sent over the migration network: pre-copy rounds plus stop-and-copy. */
  readonly bytesMoved: number;
  /** From the first byte sent to the guest running on the target (cold: to giving up; the boot is not included). */
  readonly totalS: number;
  /** The stop-and-copy pause, seconds (0 for cold: its downtime is a boot, which the caller adds). */
  readonly pauseS: number;
}

/** The pre-copy model of the file header. Inputs must be finite; memory, bandwidth, limit and maxRounds positive. */
export function preCopyMigration(input: MigrationInput): MigrationOutcome {
  const { memoryBytes: m, bandwidthBytesPerS: b, dirtyRateBytesPerS: d, downtimeLimitS, maxRounds } = input;
  if (!(m > 0 && b > 0 && d >= 0 && downtimeLimitS > 0 && maxRounds >= 1 && Number.isInteger(maxRounds)))
    throw new Error(`preCopyMigration: invalid input ${JSON.stringify(input)}`);
  const cap = Math.min(m, input.writableWorkingSetBytes ?? m);
  const threshold = b * downtimeLimitS;
  const roundBytes: number[] = [];
  let sending = m;
  let left = m;
  while (roundBytes.length < maxRounds) {
    roundBytes.push(sending);
    // What the guest dirties while this round is on the wire is what the next round (or the pause) must send.
    left = Math.min((d * sending) / b, cap);
    if (left <= threshold) break;
    sending = left;
  }
  const precopy = roundBytes.reduce((a, v) => a + v, 0);
  const converged = left <= threshold;
  if (!converged && input.onNonConvergence === "cold")
    return { outcome: "cold", rounds: roundBytes.length, roundBytes, stopCopyBytes: 0, bytesMoved: precopy, totalS: precopy / b, pauseS: 0 };
  return {
    outcome: converged ? "converged" : "forced",
    rounds: roundBytes.length,
    roundBytes,
    stopCopyBytes: left,
    bytesMoved: precopy + left,
    totalS: (precopy + left) / b,
    pauseS: left / b,
  };
}
