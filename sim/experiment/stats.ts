/**
 * Summaries over replications: mean, sample standard deviation and the 95% confidence interval
 * of the mean from Student's t distribution.
 */
import { mean, sampleStandardDeviation } from "simple-statistics";
import type { MetricSummary } from "./results.js";

/** t(0.975, df) for df = 1..30; beyond, a Cornish-Fisher expansion around the normal quantile (error < 1e-4). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df <= T975.length) return T975[df - 1] as number;
  const z = 1.959963984540054;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

export function summarise(values: readonly number[]): MetricSummary {
  const n = values.length;
  if (n === 0) return { mean: 0, sd: 0, lo: 0, hi: 0, n: 0 };
  const m = mean(values as number[]);
  if (n === 1) return { mean: m, sd: 0, lo: m, hi: m, n };
  const sd = sampleStandardDeviation(values as number[]);
  const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { mean: m, sd, lo: m - half, hi: m + half, n };
}
