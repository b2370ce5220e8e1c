/**
 * The running model's calendar of load steps: the service positions due at each time, handed back
 * in ascending position order, so a step walks the services' columns (and their flows, in per-host
 * chunks) nearly in order. Lists are typed arrays, reused from one time to the next: at every
 * diurnal grid time a million services fall due together.
 */
import { IdList } from "../sharing/id-list.js";

/** The positions due at one time, in the order added; `sorted` while they rise. */
class DueList extends IdList {
  sorted = true;

  override push(p: number): void {
    if (this.count > 0 && this.ids[this.count - 1]! > p) this.sorted = false;
    super.push(p);
  }
}

export class DueCalendar {
  private readonly lists = new Map<number, DueList>();
  /** The list add() last appended to, and its time (NaN: none; a list leaves with its time). */
  private lastT = NaN;
  private last: DueList | undefined;
  /** The list take() last handed back (its positions are valid until the next take), and emptied lists for reuse. */
  private taken: DueList | undefined;
  private readonly spare: DueList[] = [];

  /** Adds position `p` as due at `t`; true when `t` is a time not yet listed (the caller schedules it). */
  add(t: number, p: number): boolean {
    // A step's services mostly fall due together again: the last list found saves a map look-up.
    if (t === this.lastT) {
      this.last!.push(p);
      return false;
    }
    let list = this.lists.get(t);
    const fresh = list === undefined;
    if (list === undefined) {
      list = this.spare.pop() ?? new DueList();
      this.lists.set(t, list);
    }
    this.lastT = t;
    this.last = list;
    list.push(p);
    return fresh;
  }

  /**
   * The positions due at `t`, ascending (sorted only if they were added out of order), removed from
   * the calendar; the view stays valid until the next take().
   */
  take(t: number): Int32Array {
    if (this.taken !== undefined) {
      this.taken.clear();
      this.taken.sorted = true;
      this.spare.push(this.taken);
      this.taken = undefined;
    }
    const list = this.lists.get(t);
    if (list === undefined) return new Int32Array(0);
    this.lists.delete(t);
    if (this.lastT === t) {
      this.lastT = NaN;
      this.last = undefined;
    }
    this.taken = list;
    if (!list.sorted) list.sort();
    return list.ids.subarray(0, list.count);
  }
}
