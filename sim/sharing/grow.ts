/**
 * Geometric growth for typed arrays of per-item state (flows, resources, services, jobs): a copy
 * of `a` at least `length` long, new cells set to `fill`. `factor` 2 (doubling) by default; the
 * widest tables (a service's two dozen columns) grow by 1.5, so a million rows do not become two.
 */
export type NumberArray = Float64Array | Int32Array | Uint8Array;

export function grown<T extends NumberArray>(a: T, length: number, fill: number = 0, factor = 2): T {
  let n = Math.max(16, a.length);
  while (n < length) n = Math.ceil(n * factor);
  return resized(a, n, fill);
}

/** A copy of `a` exactly `length` long (at least a's length), new cells set to `fill`: for a table sized once up front. */
export function resized<T extends NumberArray>(a: T, length: number, fill: number = 0): T {
  if (length <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
