/**
 * Distributions as plain data (`{ dist: "exponential", mean: 2 }`), with `sample(dist, rng)` and the
 * analytic `mean(dist)`. Parameters are plain SI numbers already validated upstream; nothing is checked here.
 */
import type { Rng } from "./rng.js";

export interface ConstantDistribution {
  readonly dist: "constant";
  readonly value: number;
}

/** Uniform on [min, max). Precondition: min <= max. */
export interface UniformDistribution {
  readonly dist: "uniform";
  readonly min: number;
  readonly max: number;
}

/** Exponential with the given mean (mean >= 0). */
export interface ExponentialDistribution {
  readonly dist: "exponential";
  readonly mean: number;
}

/**
 * Normal with draws below `min` (default 0) clamped to min, as the scenario schema documents: a
 * latency can't be negative, and every sample costs exactly two uniforms. Precondition: sd >= 0.
 */
export interface NormalDistribution {
  readonly dist: "normal";
  readonly mean: number;
  readonly sd: number;
  readonly min?: number;
}

/**
 * Log-normal given by the mean and standard deviation of the value itself (not of its logarithm):
 * sigma^2 = ln(1 + sd^2 / mean^2), mu = ln(mean) - sigma^2 / 2. Preconditions: mean > 0, sd >= 0.
 */
export interface LognormalDistribution {
  readonly dist: "lognormal";
  readonly mean: number;
  readonly sd: number;
}

/**
 * One of `values`, uniformly or in proportion to `weights`. Preconditions: values non-empty; weights, if
 * given, the same length, non-negative, with a positive sum, and never mutated (their running sums are cached).
 */
export interface EmpiricalDistribution {
  readonly dist: "empirical";
  readonly values: readonly number[];
  readonly weights?: readonly number[];
}

export type Distribution =
  | ConstantDistribution
  | UniformDistribution
  | ExponentialDistribution
  | NormalDistribution
  | LognormalDistribution
  | EmpiricalDistribution;

const TWO_PI = 2 * Math.PI;

/**
 * Draws one value from `dist`. Uses a fixed number of uniforms per family (constant 0; uniform,
 * exponential, empirical 1; normal, lognormal 2), so changing a parameter never shifts later draws.
 */
export function sample(dist: Distribution, rng: Rng): number {
  switch (dist.dist) {
    case "constant":
      return dist.value;
    case "uniform":
      return dist.min + (dist.max - dist.min) * rng.next();
    case "exponential":
      // 1 - u lies in (0, 1], so the logarithm is finite.
      return -dist.mean * Math.log(1 - rng.next());
    case "normal": {
      const x = dist.mean + dist.sd * standardNormal(rng);
      const min = dist.min ?? 0;
      return x < min ? min : x;
    }
    case "lognormal": {
      const s2 = Math.log1p((dist.sd * dist.sd) / (dist.mean * dist.mean));
      return Math.exp(Math.log(dist.mean) - s2 / 2 + Math.sqrt(s2) * standardNormal(rng));
    }
    case "empirical":
      return sampleEmpirical(dist, rng);
  }
}

/** The distribution's expected value (for the normal, of the clamped variable max(X, min)). */
export function mean(dist: Distribution): number {
  switch (dist.dist) {
    case "constant":
      return dist.value;
    case "uniform":
      return (dist.min + dist.max) / 2;
    case "exponential":
      return dist.mean;
    case "normal":
      return clampedNormalMean(dist.mean, dist.sd, dist.min ?? 0);
    case "lognormal":
      return dist.mean;
    case "empirical":
      return empiricalMean(dist);
  }
}

/**
 * Box–Muller, keeping one of the pair: no state carried between calls, so a draw depends only on the
 * generator's position. Exported for callers that need N(0, 1) directly.
 */
export function standardNormal(rng: Rng): number {
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
}

function clampedNormalMean(mu: number, sd: number, min: number): number {
  if (sd === 0) return mu >= min ? mu : min;
  const a = (min - mu) / sd;
  // E[max(X, min)] = min * P(X < min) + mu * Q(a) + sd * phi(a), with Q(a) = P(X >= min) = erfc(a / sqrt 2) / 2.
  const q = 0.5 * erfc(a / Math.SQRT2);
  const phi = Math.exp(-0.5 * a * a) / Math.sqrt(TWO_PI);
  return min * (1 - q) + mu * q + sd * phi;
}

/** Complementary error function, Chebyshev fit (Numerical Recipes erfcc): relative error < 1.2e-7 everywhere. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

// Running sums of weights, computed once per weights array.
const cumulativeCache = new WeakMap<readonly number[], Float64Array>();

function cumulative(weights: readonly number[]): Float64Array {
  let cum = cumulativeCache.get(weights);
  if (cum === undefined) {
    cum = new Float64Array(weights.length);
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      total += weights[i]!;
      cum[i] = total;
    }
    cumulativeCache.set(weights, cum);
  }
  return cum;
}

function sampleEmpirical(dist: EmpiricalDistribution, rng: Rng): number {
  const values = dist.values;
  const weights = dist.weights;
  if (weights === undefined) return values[Math.floor(rng.next() * values.length)]!;
  const cum = cumulative(weights);
  const target = rng.next() * cum[cum.length - 1]!;
  // First index whose running sum exceeds the target; zero-weight entries can never be chosen.
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return values[lo]!;
}

function empiricalMean(dist: EmpiricalDistribution): number {
  const values = dist.values;
  const weights = dist.weights;
  let sum = 0;
  if (weights === undefined) {
    for (const v of values) sum += v;
    return sum / values.length;
  }
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]! * weights[i]!;
    total += weights[i]!;
  }
  return sum / total;
}
