/** Shared helpers of the engine tests. */
import type { EventQueue } from "../../sim/engine/index.js";

/** Pops everything, returning each event's data in pop order. */
export function drain(q: EventQueue): number[] {
  const out: number[] = [];
  for (let slot = q.pop(); slot >= 0; slot = q.pop()) out.push(q.dataOf(slot));
  return out;
}
