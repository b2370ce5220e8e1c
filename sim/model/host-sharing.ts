/**
 * The model's handle on fluid sharing: every change that can move the rates on a host's own
 * resources (CPU, disk, serial server) — a flow started, cancelled, re-capped or done there, a
 * capacity changed — marks the host, so a sampler recomputes only the rows of marked hosts. The
 * model changes flows only through it. Rates in a component change only when it is changed, so an
 * unmarked host's rates are as they were; should a flow ever join a host's resources to another
 * host's or to shared ones (the registry), marks no longer bound a change and every host counts as marked.
 */
import { grown } from "../sharing/grow.js";
import type { FlowId, FlowSpec, FluidSharing, OnDone, ResourceId } from "../sharing/index.js";

const NO_USES: FlowSpec["uses"] = [];

/** A flow's end: its client (or BY_ONDONE, NOBODY) and the client's token. */
const END_STRIDE = 2;
const E_CLIENT = 0;
const E_TOKEN = 1;
const BY_ONDONE = -1;
const NOBODY = -2;

export class HostSharing {
  /** Resource -> the host whose rows its rates move, -1 for none (a NIC, the registry). */
  private group = new Int32Array(0);
  /**
   * Per flow: the host it marks (-1: none), read at every change of the flow (a load step's caps);
   * and how its end is told (END_STRIDE ints): a client's handler with a token (a client's flows
   * need no closure each), the onDone it was started with, or nothing.
   */
  private flowGroup = new Int32Array(0);
  private ends = new Int32Array(0);
  private readonly onDone: (OnDone | undefined)[] = [];
  private readonly clients: ((token: number) => void)[] = [];
  private readonly finished: OnDone = (f) => {
    this.mark(this.flowGroup[f]!);
    const ends = this.ends;
    const b = f * END_STRIDE;
    const client = ends[b + E_CLIENT]!;
    ends[b + E_CLIENT] = NOBODY;
    if (client >= 0) this.clients[client]!(ends[b + E_TOKEN]!);
    else if (client === BY_ONDONE) {
      const then = this.onDone[f];
      this.onDone[f] = undefined;
      then?.(f);
    }
  };
  /** Hosts marked since the marks were last cleared, as flags and in marking order. */
  private readonly marked: Uint8Array;
  private readonly markedList: number[] = [];
  private joined = false;
  /** A routed flow's spec, reused (FluidSharing.startFlow keeps none of it): no copy per flow. */
  private readonly routedSpec: { work: number; uses: FlowSpec["uses"]; weight: number; cap: number; onDone: OnDone } = {
    work: 0,
    uses: [],
    weight: 1,
    cap: Infinity,
    onDone: this.finished,
  };

  constructor(
    readonly raw: FluidSharing,
    hostCount: number,
  ) {
    this.marked = new Uint8Array(hostCount);
  }

  /** Adds a resource; `host` >= 0 when it is one of that host's own (its rates move that host's rows). */
  addResource(capacity: number, label: string, host = -1): ResourceId {
    const r = this.raw.addResource(capacity, label);
    if (r >= this.group.length) this.group = grown(this.group, r + 1, -1);
    this.group[r] = host;
    return r;
  }

  setCapacity(r: ResourceId, capacity: number): void {
    this.raw.setCapacity(r, capacity);
    this.mark(this.groupOf(r));
  }

  startFlow(spec: FlowSpec): FlowId {
    return this.start(spec, BY_ONDONE, 0);
  }

  /**
   * A handler for the ends of many flows (startFlowFor): called with the token a flow was started
   * with. Returns the client's number.
   */
  client(handler: (token: number) => void): number {
    return this.clients.push(handler) - 1;
  }

  /** As startFlow (its spec's onDone ignored), but its end calls `client`'s handler with `token`. */
  startFlowFor(spec: FlowSpec, client: number, token: number): FlowId {
    return this.start(spec, client, token);
  }

  private start(spec: FlowSpec, client: number, token: number): FlowId {
    let g = -2;
    const uses = spec.uses;
    for (let i = 0; i < uses.length; i++) {
      const ug = this.groupOf(uses[i]!.resource);
      if (g === -2) g = ug;
      else if (ug !== g) this.joined = true;
    }
    if (g === -2) g = -1;
    // A finite flow on a host marks it again when done; it is routed through `finished` to do so.
    const routed = g >= 0 && spec.work < Infinity;
    let f: FlowId;
    if (routed || client >= 0) {
      const r = this.routedSpec;
      r.work = spec.work;
      r.uses = spec.uses;
      // FluidSharing's defaults, spelled out: the fields stay numbers.
      r.weight = spec.weight ?? 1;
      r.cap = spec.cap ?? Infinity;
      f = this.raw.startFlow(r);
      r.uses = NO_USES;
    } else f = this.raw.startFlow(spec);
    if (f >= this.flowGroup.length) {
      this.flowGroup = grown(this.flowGroup, f + 1, -1);
      this.ends = grown(this.ends, this.flowGroup.length * END_STRIDE);
    }
    this.flowGroup[f] = g;
    const b = f * END_STRIDE;
    if (client >= 0) {
      this.ends[b + E_CLIENT] = client;
      this.ends[b + E_TOKEN] = token;
    } else if (routed && spec.onDone !== undefined) {
      this.ends[b + E_CLIENT] = BY_ONDONE;
      // Filled, not stretched: ids arrive out of order, and a sparse array would turn into a dictionary.
      while (this.onDone.length <= f) this.onDone.push(undefined);
      this.onDone[f] = spec.onDone;
    } else this.ends[b + E_CLIENT] = NOBODY;
    this.mark(g);
    return f;
  }

  cancelFlow(f: FlowId): number {
    const left = this.raw.cancelFlow(f);
    const b = f * END_STRIDE;
    if (this.ends[b + E_CLIENT] === BY_ONDONE) this.onDone[f] = undefined;
    this.ends[b + E_CLIENT] = NOBODY;
    this.mark(this.flowGroup[f]!);
    return left;
  }

  setCap(f: FlowId, cap: number): void {
    if (this.raw.setCap(f, cap)) this.mark(this.flowGroup[f]!);
  }

  /** setCap(ids[i], caps[i]) for i in [0, n), in that order. */
  setCaps(ids: Int32Array, caps: Float64Array, n: number): void {
    for (let i = 0; i < n; i++) {
      const f = ids[i]!;
      if (this.raw.setCap(f, caps[i]!)) this.mark(this.flowGroup[f]!);
    }
  }

  batch<T>(fn: () => T): T {
    return this.raw.batch(fn);
  }

  batchWith<A, T>(fn: (arg: A) => T, arg: A): T {
    return this.raw.batchWith(fn, arg);
  }

  rate(f: FlowId): number {
    return this.raw.rate(f);
  }

  received(f: FlowId): number {
    return this.raw.received(f);
  }

  receivedInto(ids: Int32Array, n: number, out: Float64Array): void {
    this.raw.receivedInto(ids, n, out);
  }

  ratesInto(ids: Int32Array, n: number, out: Float64Array): void {
    this.raw.ratesInto(ids, n, out);
  }

  /** Whether host `h`'s rates may have changed since the marks were last cleared. */
  isMarked(h: number): boolean {
    return this.joined || this.marked[h] === 1;
  }

  /** True when marks no longer bound changes (a flow joined hosts or shared resources): every host counts as marked. */
  get everyHostMarked(): boolean {
    return this.joined;
  }

  /** Hosts marked since the last clear, in marking order (meaningless once everyHostMarked). */
  markedHosts(): readonly number[] {
    return this.markedList;
  }

  clearMarks(): void {
    for (const h of this.markedList) this.marked[h] = 0;
    this.markedList.length = 0;
  }

  private groupOf(r: ResourceId): number {
    return r < this.group.length ? this.group[r]! : -1;
  }

  private mark(h: number): void {
    if (h < 0 || this.marked[h] === 1) return;
    this.marked[h] = 1;
    this.markedList.push(h);
  }
}
