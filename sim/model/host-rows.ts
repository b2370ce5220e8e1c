/**
 * HostRows: the running model's sampled CPU, one row per host (each app's cores, then overhead, then
 * start-up work), kept between samples and recomputed only for the hosts whose rates may have moved
 * (HostSharing marks them), summed in the same order every time so the figures are the same to the
 * bit. Split from RunningModel (running.ts), which owns the services' state and hands it in as a
 * RowView at every sample (its per-slot tables grow by copying, so they are read afresh each time).
 */
import { MAX_DRIFT } from "../sharing/drift.js";
import { grown } from "../sharing/grow.js";
import type { FlowId } from "../sharing/index.js";
import type { HostSharing } from "./host-sharing.js";
import type { Host } from "./host.js";
import type { OverheadFlows } from "./overhead-flows.js";
import { POSITION_BLOCK, type ServiceColumns } from "./service-columns.js";
import type { App } from "./workload.js";

/** A start-up remainder at most this share of the host's CPU allocation is rounding (ten times MAX_DRIFT). */
export const START_UP_ROUNDING = 10 * MAX_DRIFT;

/** A running job, as the running model keeps it: its app, host and flow, and host CPU per unit of useful work. */
export interface RunningJob {
  readonly app: App;
  readonly host: Host;
  flow: FlowId;
  readonly hostPerUseful: number;
}

/** What a sample reads of the running model (RunningModel.rowView). */
export interface RowView {
  readonly cols: ServiceColumns;
  /** Per host: its services' positions in the order they joined; `unordered[h]` once a relocated one joined. */
  readonly members: readonly (readonly number[])[];
  readonly unordered: Uint8Array;
  /** Apps by slot, and per slot: the CPU tax and the host CPU per byte of I/O. */
  readonly slotApps: readonly App[];
  readonly kTax: Float64Array;
  readonly kIoCpu: Float64Array;
  /** Whether any service has an I/O flow (else no I/O rate is read). */
  readonly anyIo: boolean;
  readonly jobs: ReadonlySet<RunningJob>;
  taxOf(app: App): number;
}

export class HostRows {
  /**
   * Bumped whenever rows() recomputes a row: rows read at the same version are the same to the
   * bit, so whatever was summed from them (a sample's column totals) can be reused.
   */
  version = 0;

  constructor(
    private readonly sharing: HostSharing,
    private readonly overheadFlows: OverheadFlows,
    private readonly hostCount: number,
  ) {}

  /**
   * The kept rows, brought up to date (see RunningModel.sampleInto for what a row holds):
   * read-only, and valid until the next call (a sampler that only sums them needs no copy).
   */
  rows(v: RowView, apps: readonly App[], width: number, allocated?: (host: number) => number): Float64Array {
    const over = apps.length;
    const hostCount = this.hostCount;
    let all = this.sharing.everyHostMarked;
    if (this.appIndexFor !== apps || this.rowWidth !== width || this.rowAllocated !== allocated) {
      this.appIndexFor = apps;
      this.appIndex = new Map(apps.map((a, k) => [a, k]));
      this.rowWidth = width;
      this.rowAllocated = allocated;
      this.hostRows = new Float64Array(hostCount * width);
      this.slotTables(v, 0);
      all = true;
    }
    if (this.slotCol.length !== v.slotApps.length) this.slotTables(v, this.slotCol.length);
    const rows = this.hostRows;
    const marked = this.sharing.markedHosts();
    const todo = all ? hostCount : marked.length;
    for (let t = 0; t < todo; t++) {
      const h = all ? t : marked[t]!;
      rows.fill(0, h * width, (h + 1) * width);
    }
    // Most hosts: one walk in position order, reading the columns in sequence (a host's chunks are
    // scattered, so host by host each chunk is a miss in every column); few: host by host.
    if (todo * 4 >= hostCount * 3) this.sumByPosition(v, rows, width, all);
    else for (let t = 0; t < todo; t++) this.sumHost(v, marked[t]!, rows, width);
    for (const j of v.jobs) {
      if (!all && !this.sharing.isMarked(j.host.index)) continue;
      const hostCores = this.sharing.rate(j.flow) * j.hostPerUseful;
      const tax = v.taxOf(j.app);
      const base = j.host.index * width;
      const k = base + this.appIndex.get(j.app)!;
      rows[k] = rows[k]! + hostCores * (1 - tax);
      rows[base + over] = rows[base + over]! + hostCores * tax;
    }
    for (let t = 0; t < todo; t++) {
      const h = all ? t : marked[t]!;
      const base = h * width;
      this.overheadFlows.addHostRates(this.sharing.raw, h, rows, base + over);
      if (allocated === undefined) continue;
      let known = 0;
      for (let k = base; k <= base + over; k++) known += rows[k]!;
      const cpu = allocated(h);
      const rest = cpu - known;
      // Both are sums of the same rates, split and kept differently (the allocation by differences, within
      // MAX_DRIFT): a remainder within START_UP_ROUNDING of the allocation is their rounding, not start-up work.
      rows[base + over + 1] = rest > START_UP_ROUNDING * cpu ? rest : 0;
    }
    this.sharing.clearMarks();
    if (todo > 0) this.version++;
    return rows;
  }

  /**
   * Adds each running service's cores to its host's row (its app's cell, and tax and I/O CPU to the
   * overhead cell), walking positions in blocks; only marked hosts' unless `all`. A host's services
   * are added in position order, as sumHost adds them.
   */
  private sumByPosition(v: RowView, rows: Float64Array, width: number, all: boolean): void {
    const c = v.cols;
    if (this.sIds.length < POSITION_BLOCK) this.growScratch(POSITION_BLOCK);
    const { sBase, sSlot, sIds, sIoIds } = this;
    for (let from = 0; from < c.end; from += POSITION_BLOCK) {
      const to = Math.min(c.end, from + POSITION_BLOCK);
      let n = 0;
      for (let p = from; p < to; p++) {
        // Positions no service holds yet, services down, and unmarked hosts add nothing.
        if (c.index[p]! < 0 || c.flow[p]! < 0 || !(all || this.sharing.isMarked(c.host[p]!))) continue;
        // Where its host's row begins and its slot, read here too: in sequence with the other columns.
        sBase[n] = c.host[p]! * width;
        sSlot[n] = c.slot[p]!;
        sIds[n] = c.flow[p]!;
        sIoIds[n++] = c.io[p]!;
      }
      this.addGathered(v, rows, n);
    }
  }

  /** sumByPosition for host `h` alone: its members (in position order), its flows' rates read in one call. */
  private sumHost(v: RowView, h: number, rows: Float64Array, width: number): void {
    const c = v.cols;
    const base = h * width;
    const members = sampleOrder(v, h);
    if (members.length === 0) return;
    if (this.sIds.length < members.length) this.growScratch(members.length);
    const { sBase, sSlot, sIds, sIoIds } = this;
    // Each column read in one loop, so a position's misses in them overlap (its chunk is rarely cached).
    let n = 0;
    for (let i = 0; i < members.length; i++) {
      const p = members[i]!;
      // A service that is down adds nothing.
      if (c.flow[p]! < 0) continue;
      sBase[n] = base;
      sIds[n] = c.flow[p]!;
      sIoIds[n] = c.io[p]!;
      sSlot[n++] = c.slot[p]!;
    }
    this.addGathered(v, rows, n);
  }

  /**
   * Adds the n gathered services' cores to their rows (sBase: where the row begins; sSlot, sIds,
   * sIoIds: app slot, flow, I/O flow), in order: each app's cell, and the tax and I/O CPU to the
   * overhead cell. Their flows' rates are read in one call, so their misses overlap.
   */
  private addGathered(v: RowView, rows: Float64Array, n: number): void {
    const over = this.appIndexFor!.length;
    const { sBase, sSlot, sIds, sIoIds, sRate, sIoRate, slotCol } = this;
    const { kTax, kIoCpu, anyIo } = v;
    this.sharing.ratesInto(sIds, n, sRate);
    if (anyIo) this.sharing.ratesInto(sIoIds, n, sIoRate);
    for (let i = 0; i < n; i++) {
      const rate = sRate[i]!;
      const slot = sSlot[i]!;
      const tax = kTax[slot]!;
      const base = sBase[i]!;
      const k = base + slotCol[slot]!;
      rows[k] = rows[k]! + rate * (1 - tax);
      rows[base + over] = rows[base + over]! + rate * tax + (sIoIds[i]! >= 0 ? sIoRate[i]! * kIoCpu[slot]! : 0);
    }
  }

  /** Per app slot from `from` on: its column in the sampled rows (its tax and I/O CPU are in the slot tables). */
  private slotTables(v: RowView, from: number): void {
    const col = new Int32Array(v.slotApps.length);
    col.set(this.slotCol.subarray(0, from));
    for (let k = from; k < col.length; k++) col[k] = this.appIndex.get(v.slotApps[k]!)!;
    this.slotCol = col;
  }

  private growScratch(n: number): void {
    this.sBase = grown(this.sBase, n);
    this.sSlot = grown(this.sSlot, n);
    this.sIds = grown(this.sIds, n);
    this.sIoIds = grown(this.sIoIds, n);
    this.sRate = grown(this.sRate, n);
    this.sIoRate = grown(this.sIoRate, n);
  }

  private appIndexFor: readonly App[] | undefined;
  private appIndex = new Map<App, number>();
  /** Sampled rows by host (width `rowWidth`), as of the last sample; per app slot, its column. */
  private rowWidth = 0;
  private rowAllocated: ((host: number) => number) | undefined;
  private hostRows = new Float64Array(0);
  private slotCol = new Int32Array(0);
  /** Sampling scratch: a block's services' rows (where their host's row begins), app slots, flows and I/O flows, and their rates. */
  private sBase = new Int32Array(0);
  private sSlot = new Int32Array(0);
  private sIds = new Int32Array(0);
  private sIoIds = new Int32Array(0);
  private sRate = new Float64Array(0);
  private sIoRate = new Float64Array(0);
}

/** Host `h`'s services in position order: its members, or a sorted copy once a relocated one joined (members keep their order: the model's refactor walks it). */
function sampleOrder(v: RowView, h: number): readonly number[] {
  const members = v.members[h] as readonly number[];
  return v.unordered[h] === 1 ? [...members].sort((a, b) => a - b) : members;
}
