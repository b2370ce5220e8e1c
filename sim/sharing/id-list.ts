/**
 * IdList: a reusable list of ids in a growing Int32Array, cleared by its count, so its storage is
 * kept from one use to the next (a JS array's `length = 0` drops its backing store, and the next
 * pushes allocate a new one: once per completion event).
 */
import { grown } from "./grow.js";

export class IdList {
  ids = new Int32Array(16);
  count = 0;

  clear(): void {
    this.count = 0;
  }

  push(id: number): void {
    if (this.count === this.ids.length) this.ids = grown(this.ids, this.count + 1);
    this.ids[this.count++] = id;
  }

  /** Sorts the ids ascending (numerically): in place for a few (no subarray view made), by the typed sort beyond. */
  sort(): void {
    const n = this.count;
    const ids = this.ids;
    if (n > 16) {
      ids.subarray(0, n).sort();
      return;
    }
    for (let i = 1; i < n; i++) {
      const v = ids[i]!;
      let j = i - 1;
      while (j >= 0 && ids[j]! > v) {
        ids[j + 1] = ids[j]!;
        j--;
      }
      ids[j + 1] = v;
    }
  }
}
