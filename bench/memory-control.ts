/**
 * Memory control for the scale bench: the large cases (a million services) are bound by memory
 * latency, not by instructions, so they move with the memory traffic of whatever else runs on the
 * host while the CPU control (a fixed pure computation) stays put. This times a chain of dependent
 * loads through 256 MiB (far beyond any cache): each load's address is the value the last one read,
 * so nothing overlaps them and no prefetcher guesses them. The chain is a full-period linear
 * congruential generator modulo 2^26 (Hull-Dobell: odd increment, multiplier 1 mod 4), one cycle
 * through every slot, the same on every run. `node dist/bench/memory-control.js` prints ns per load.
 */
import { fileURLToPath } from "node:url";

const SLOTS = 1 << 26;
const LOADS = 20_000_000;

/** Nanoseconds per dependent load through 256 MiB (one run; the first pass builds the chain). */
export function memoryLatencyNs(): number {
  const next = new Int32Array(SLOTS);
  for (let i = 0; i < SLOTS; i++) next[i] = (Math.imul(i, 1664525) + 1013904223) & (SLOTS - 1);
  let p = 0;
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < LOADS; k++) p = next[p]!;
  const ns = Number(process.hrtime.bigint() - t0) / LOADS;
  // Read p, so the chain is not optimised away.
  return p < 0 ? -1 : ns;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(memoryLatencyNs().toFixed(1));
