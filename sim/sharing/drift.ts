/**
 * Rounding bounds shared by the sums kept by differences (capsNoted, roomy resources, hub shares) and
 * lone()'s second fit test: how much rounding one step may add, how much a kept sum may carry before it
 * is summed afresh, and the margin the test leaves for the rounding of its sums.
 */

/** Four units in the last place of 1: a generous bound on one floating-point step's relative rounding. */
export const ULP4 = 4 * Number.EPSILON;
/** Four times the least subnormal: the absolute rounding of a step among subnormals. */
export const TINY4 = 4 * Number.MIN_VALUE;
/** The most rounding a sum kept by differences may carry, relative to the sum, before it is summed afresh. */
export const MAX_DRIFT = 1e-13;
/** lone()'s second test leaves this share of the capacity unallocated, for rounding (see IncrementalRates.lone). */
const SUM_MARGIN = 1e-9;
/** The second test trusts its sums up to this many flows (the margin covers n x epsilon with room to spare). */
export const MAX_SUMMED = 1_000_000;

/**
 * The second test's bound: a sum of coef x cap at most capacity x (1 - SUM_MARGIN), on a capacity above 0
 * (on none, caps whose products underflow to 0 would pass, yet water-filling gives every flow 0).
 */
export function fitsUnder(sum: number, capacity: number): boolean {
  return capacity > 0 && sum <= capacity * (1 - SUM_MARGIN);
}
