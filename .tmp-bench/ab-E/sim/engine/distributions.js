const TWO_PI = 2 * Math.PI;
const NORMAL_MAX_TRIES = 64;
/** Draws one value from `dist` using `rng`; consumes a data-dependent number of draws but is deterministic. */
export function sample(dist, rng) {
    switch (dist.dist) {
        case "constant":
            return dist.value;
        case "uniform":
            return dist.min + (dist.max - dist.min) * rng.next();
        case "exponential":
            // 1 - u lies in (0, 1], so the logarithm is finite.
            return -dist.mean * Math.log(1 - rng.next());
        case "normal": {
            const min = dist.min ?? 0;
            for (let i = 0; i < NORMAL_MAX_TRIES; i++) {
                const x = dist.mean + dist.sd * standardNormal(rng);
                if (x >= min)
                    return x;
            }
            return min;
        }
        case "lognormal": {
            const s2 = Math.log1p((dist.sd * dist.sd) / (dist.mean * dist.mean));
            return Math.exp(Math.log(dist.mean) - s2 / 2 + Math.sqrt(s2) * standardNormal(rng));
        }
        case "empirical":
            return sampleEmpirical(dist, rng);
    }
}
/** The distribution's expected value (for the normal, the mean of the truncated distribution). */
export function mean(dist) {
    switch (dist.dist) {
        case "constant":
            return dist.value;
        case "uniform":
            return (dist.min + dist.max) / 2;
        case "exponential":
            return dist.mean;
        case "normal":
            return truncatedNormalMean(dist.mean, dist.sd, dist.min ?? 0);
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
export function standardNormal(rng) {
    const u1 = 1 - rng.next();
    const u2 = rng.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
}
function truncatedNormalMean(mu, sd, min) {
    if (sd === 0)
        return mu >= min ? mu : min;
    const a = (min - mu) / sd;
    // E[X | X >= min] = mu + sd * phi(a) / Q(a), Q the upper tail; erfc keeps Q accurate far into the tail.
    const q = 0.5 * erfc(a / Math.SQRT2);
    if (q === 0)
        return min;
    const phi = Math.exp(-0.5 * a * a) / Math.sqrt(TWO_PI);
    return mu + (sd * phi) / q;
}
/** Complementary error function, Chebyshev fit (Numerical Recipes erfcc): relative error < 1.2e-7. */
function erfc(x) {
    const z = Math.abs(x);
    const t = 1 / (1 + 0.5 * z);
    const r = t *
        Math.exp(-z * z -
            1.26551223 +
            t *
                (1.00002368 +
                    t *
                        (0.37409196 +
                            t *
                                (0.09678418 +
                                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
}
// Running sums of weights, computed once per weights array.
const cumulativeCache = new WeakMap();
function cumulative(weights) {
    let cum = cumulativeCache.get(weights);
    if (cum === undefined) {
        cum = new Float64Array(weights.length);
        let total = 0;
        for (let i = 0; i < weights.length; i++) {
            total += weights[i];
            cum[i] = total;
        }
        cumulativeCache.set(weights, cum);
    }
    return cum;
}
function sampleEmpirical(dist, rng) {
    const values = dist.values;
    const weights = dist.weights;
    if (weights === undefined)
        return values[Math.floor(rng.next() * values.length)];
    const cum = cumulative(weights);
    const target = rng.next() * cum[cum.length - 1];
    // First index whose running sum exceeds the target; zero-weight entries can never be chosen.
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] > target)
            hi = mid;
        else
            lo = mid + 1;
    }
    return values[lo];
}
function empiricalMean(dist) {
    const values = dist.values;
    const weights = dist.weights;
    let sum = 0;
    if (weights === undefined) {
        for (const v of values)
            sum += v;
        return sum / values.length;
    }
    let total = 0;
    for (let i = 0; i < values.length; i++) {
        sum += values[i] * weights[i];
        total += weights[i];
    }
    return sum / total;
}
