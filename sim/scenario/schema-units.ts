/**
 * Schema pieces for quantities with units (sizes, durations, bandwidths, distributions of
 * durations): each parses once at the boundary into SI units and says what it expected.
 */
import { z } from "zod";
import { isUnitError, parseBandwidth, parseBytes, parseDuration, type Parsed } from "./units.js";

export function unit(parse: (v: unknown) => Parsed, description: string, check?: (n: number) => string | undefined) {
  return z
    .union([z.number(), z.string()])
    .transform((value, ctx): number => {
      const parsed = parse(value);
      const problem = isUnitError(parsed) ? `expected ${parsed.expected}` : check?.(parsed);
      if (problem !== undefined) {
        ctx.addIssue({ code: "custom", message: problem, input: value });
        return z.NEVER;
      }
      return parsed as number;
    })
    .meta({ description });
}

/** Like `unit`, and the value must be above zero (a zero duration or bandwidth would never finish). */
function positiveUnit(parse: (v: unknown) => Parsed, description: string, what: string) {
  return unit(parse, description, (n) => (n > 0 ? undefined : `expected ${what} > 0`));
}

export const bytes = (description: string) => unit(parseBytes, `${description} (a size: 768MiB, 2GB, or bytes)`);
export const seconds = (description: string) => unit(parseDuration, `${description} (a duration: 250ms, 4s, 6h, or seconds)`);
export const bandwidth = (description: string) =>
  unit(parseBandwidth, `${description} (a bandwidth: 1Gbit/s, 2GB/s, or bytes per second)`);

/** A duration above zero: a period, an interval, a horizon, a sampling step. */
export const positiveSeconds = (description: string) =>
  positiveUnit(parseDuration, `${description} (a duration > 0: 250ms, 4s, 6h, or seconds)`, "a duration");
/** A bandwidth above zero: nothing that has to cross a zero-bandwidth link ever arrives. */
export const positiveBandwidth = (description: string) =>
  positiveUnit(parseBandwidth, `${description} (a bandwidth > 0: 1Gbit/s, 2GB/s, or bytes per second)`, "a bandwidth");

const durationList = z.array(seconds("a value")).min(1);

/**
 * The object forms of a duration distribution, built once: every field that takes a distribution
 * shares them (a schema is immutable), and only the description around them is its own.
 */
const durationDistributionObject = z.discriminatedUnion("dist", [
  z.strictObject({ dist: z.literal("constant"), value: seconds("the value") }),
  z
    .strictObject({ dist: z.literal("uniform"), min: seconds("lower bound"), max: seconds("upper bound") })
    .refine((d) => d.min <= d.max, { message: "expected max >= min", path: ["max"] }),
  z.strictObject({ dist: z.literal("exponential"), mean: seconds("mean") }),
  z.strictObject({
    dist: z.literal("normal"),
    mean: seconds("mean"),
    sd: seconds("standard deviation"),
    min: seconds("truncation point; draws below it are clamped (default 0)").optional(),
  }),
  z
    .strictObject({ dist: z.literal("lognormal"), mean: seconds("mean"), sd: seconds("standard deviation") })
    .refine((d) => d.mean > 0, { message: "expected a mean > 0 for a lognormal", path: ["mean"] }),
  z
    .strictObject({
      dist: z.literal("empirical"),
      values: durationList,
      weights: z.array(z.number().nonnegative()).optional(),
    })
    .refine((d) => !d.weights || (d.weights.length === d.values.length && d.weights.some((w) => w > 0)), {
      message: "expected one non-negative weight per value, not all zero",
      path: ["weights"],
    }),
]);
const constantDuration = seconds("constant");

/** A distribution of durations, or a bare duration meaning a constant. */
export const durationDistribution = (description: string) =>
  z
    .union([constantDuration, durationDistributionObject])
    .meta({ description: `${description}: a duration, or { dist: constant|uniform|exponential|normal|lognormal|empirical, ... }` });

/** Work in core-seconds reads like a duration ("4s" of one core). */
export const workDistribution = durationDistribution;
