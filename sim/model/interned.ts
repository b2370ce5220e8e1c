/**
 * Small dense indices for the few distinct objects (apps, footprints, load patterns) that
 * per-instance columns refer to: a column holds the index, `items` the object.
 */
export class Interned<T> {
  readonly items: T[] = [];
  private readonly index = new Map<T, number>();

  /** `x`'s index, appended when first seen. */
  of(x: T): number {
    let k = this.index.get(x);
    if (k === undefined) {
      k = this.items.length;
      this.items.push(x);
      this.index.set(x, k);
    }
    return k;
  }
}
