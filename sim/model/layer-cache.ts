/**
 * Per-host image layer caches: content-addressed layers are downloaded once per host (at most
 * `maxConcurrentDownloads` at a time, each after the registry's latency, sharing the registry's
 * bandwidth and the host's NIC), then extracted (decompression on one core, writes to the disk).
 * Instances that need a layer already on its way wait for it instead of pulling it again.
 * Background requests (the rest of a lazily pulled image) download only when no foreground one waits.
 * A request is a number (the caller's token, e.g. a start-up slot): waiting lists hold tokens and
 * counters are columns, so a storm of starts leaves no closure per start behind. Nor does a pull: a
 * download's or an extraction's flow finds its layer by the flow's id, and every flow of a kind
 * ends in the same handler (closures made per pull would each lose their compiled code once no
 * pull is under way, and be compiled again).
 */
import type { Simulation } from "../engine/index.js";
import { grown } from "../sharing/grow.js";
import type { FlowId, ResourceId } from "../sharing/index.js";
import type { HostSharing } from "./host-sharing.js";
import type { Layer } from "./workload.js";

const QUEUED = 0;
const DOWNLOADING = 1;
const EXTRACTING = 2;
const PRESENT = 3;

interface Entry {
  state: number;
  readonly bytes: number;
  /** The host whose cache holds it, and its digest. */
  readonly host: number;
  readonly digest: string;
  /** Tokens waiting for the download, and for the extraction. */
  downloaded: number[];
  present: number[];
}

/** What a token's request waits for: every layer downloaded, then every layer extracted. */
export interface CacheWaiter {
  downloaded(token: number): void;
  present(token: number): void;
}

export interface CacheConfig {
  readonly registry: ResourceId;
  readonly latencyS: number;
  readonly maxConcurrentDownloads: number;
  readonly extractRateBytesPerS: number;
  readonly expansion: number;
  readonly hostResources: readonly { readonly cpu: ResourceId; readonly disk: ResourceId; readonly nic: ResourceId }[];
}

export type LayerListener = (time: number, host: number, what: string) => void;

export class LayerCaches {
  private readonly entries: Map<string, Entry>[];
  /** Per host: layers queued for download (each entry knows its host and digest), foreground and background. */
  private readonly queues: Entry[][];
  private readonly queueHeads: number[];
  private readonly backgroundQueues: Entry[][];
  private readonly backgroundHeads: number[];
  private readonly active: number[];
  /**
   * Downloads waiting out the registry latency, by the time it ends: one engine event per distinct
   * time starts all of them in one sharing batch (a storm of pulls costs one recompute per instant).
   */
  private readonly waiting = new Map<number, Entry[]>();
  private readonly waitTimes: number[] = [];
  private readonly latencyKind: number;
  readonly stats = { bytes: 0, requests: 0, downloads: 0 };
  /** Per token: layers of its request still to download, and still to extract. */
  private toDownload = new Int32Array(0);
  private toExtract = new Int32Array(0);
  /** The layer each download or extraction under way is of, by its flow's id. */
  private readonly pulling: (Entry | undefined)[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly sharing: HostSharing,
    prepulled: readonly ReadonlySet<string>[],
    private readonly config: CacheConfig,
    private readonly waiter: CacheWaiter,
    private readonly listener?: LayerListener,
  ) {
    this.entries = prepulled.map((set, host) => {
      const m = new Map<string, Entry>();
      for (const digest of set) m.set(digest, { state: PRESENT, bytes: 0, host, digest, downloaded: [], present: [] });
      return m;
    });
    this.queues = prepulled.map(() => []);
    this.queueHeads = prepulled.map(() => 0);
    this.backgroundQueues = prepulled.map(() => []);
    this.backgroundHeads = prepulled.map(() => 0);
    this.active = prepulled.map(() => 0);
    this.latencyKind = sim.register((slot) => {
      const t = this.waitTimes[slot]!;
      const due = this.waiting.get(t)!;
      this.waiting.delete(t);
      this.sharing.batch(() => {
        for (const e of due) this.download(e);
      });
    });
  }

  /** Whether the layer keyed `digest` is in `host`'s cache or on its way there. */
  has(host: number, digest: string): boolean {
    return (this.entries[host] as Map<string, Entry>).has(digest);
  }

  /**
   * Asks for `layers` on `host` for `token`: the waiter's `downloaded(token)` runs once every layer
   * has been downloaded (by this request or an earlier one), then `present(token)` once every layer
   * is extracted; either may run at once. A token has one request pending at a time; token -1 asks
   * for nothing to be called. New downloads of a `background` request wait until the host has no
   * foreground download queued.
   */
  acquire(host: number, layers: readonly Layer[], token: number, background = false): void {
    const cache = this.entries[host] as Map<string, Entry>;
    let toDownload = 0;
    let toExtract = 0;
    for (const layer of layers) {
      this.stats.requests++;
      let e = cache.get(layer.digest);
      if (!e) {
        e = { state: QUEUED, bytes: layer.bytes, host, digest: layer.digest, downloaded: [], present: [] };
        cache.set(layer.digest, e);
        this.stats.downloads++;
        this.stats.bytes += layer.bytes;
        ((background ? this.backgroundQueues : this.queues)[host] as Entry[]).push(e);
      }
      if (e.state < EXTRACTING) {
        toDownload++;
        if (token >= 0) e.downloaded.push(token);
      }
      if (e.state < PRESENT) {
        toExtract++;
        if (token >= 0) e.present.push(token);
      }
    }
    if (token >= 0) {
      if (token >= this.toDownload.length) {
        this.toDownload = grown(this.toDownload, token + 1);
        this.toExtract = grown(this.toExtract, token + 1);
      }
      this.toDownload[token] = toDownload;
      this.toExtract[token] = toExtract;
      if (toDownload === 0) this.waiter.downloaded(token);
      if (toExtract === 0) this.waiter.present(token);
    }
    this.startQueued(host);
  }

  /** The next queued download of `host`, foreground first, or undefined. */
  private nextQueued(host: number): Entry | undefined {
    const queue = this.queues[host] as Entry[];
    const head = this.queueHeads[host] as number;
    if (head < queue.length) {
      this.queueHeads[host] = head + 1;
      return queue[head];
    }
    const bg = this.backgroundQueues[host] as Entry[];
    const bgHead = this.backgroundHeads[host] as number;
    if (bgHead < bg.length) {
      this.backgroundHeads[host] = bgHead + 1;
      return bg[bgHead];
    }
    return undefined;
  }

  private startQueued(host: number): void {
    while ((this.active[host] as number) < this.config.maxConcurrentDownloads) {
      const e = this.nextQueued(host);
      if (e === undefined) return;
      this.active[host] = (this.active[host] as number) + 1;
      e.state = DOWNLOADING;
      this.listener?.(this.sim.now, host, `pull ${e.digest} requested`);
      if (this.config.latencyS > 0) {
        const t = this.sim.now + this.config.latencyS;
        const due = this.waiting.get(t);
        if (due) due.push(e);
        else {
          this.waiting.set(t, [e]);
          this.waitTimes.push(t);
          this.sim.at(t, this.latencyKind, this.waitTimes.length - 1);
        }
      } else this.download(e);
    }
  }

  private download(e: Entry): void {
    if (e.bytes <= 0) {
      this.downloaded(e);
      return;
    }
    const f = this.sharing.startFlow({ work: e.bytes, uses: [{ resource: this.config.registry }, { resource: this.config.hostResources[e.host]!.nic }], onDone: this.downloadDone });
    this.pulling[f] = e;
  }

  private readonly downloadDone = (flow: FlowId): void => this.downloaded(this.pulled(flow));

  /** The layer flow `flow` pulled, now that it is done. */
  private pulled(flow: FlowId): Entry {
    const e = this.pulling[flow] as Entry;
    this.pulling[flow] = undefined;
    return e;
  }

  /** Layer `e` is downloaded: its waiters are told, its extraction starts, and the host's next download. */
  private downloaded(e: Entry): void {
    const host = e.host;
    this.active[host] = (this.active[host] as number) - 1;
    e.state = EXTRACTING;
    this.listener?.(this.sim.now, host, `pull ${e.digest} downloaded`);
    const waiting = e.downloaded;
    e.downloaded = [];
    for (const w of waiting) if (--this.toDownload[w]! === 0) this.waiter.downloaded(w);
    this.extract(e);
    this.startQueued(host);
  }

  private extract(e: Entry): void {
    if (e.bytes <= 0) {
      this.extracted(e);
      return;
    }
    // One flow in compressed bytes: one core decompresses at `rate`, the disk takes `expansion` bytes per byte.
    const r = this.config.hostResources[e.host]!;
    const rate = this.config.extractRateBytesPerS;
    const f = this.sharing.startFlow({
      work: e.bytes,
      uses: [{ resource: r.cpu, coef: 1 / rate }, { resource: r.disk, coef: this.config.expansion }],
      cap: rate,
      onDone: this.extractDone,
    });
    this.pulling[f] = e;
  }

  private readonly extractDone = (flow: FlowId): void => this.extracted(this.pulled(flow));

  /** Layer `e` is extracted: its waiters are told. */
  private extracted(e: Entry): void {
    e.state = PRESENT;
    this.listener?.(this.sim.now, e.host, `pull ${e.digest} extracted`);
    const waiting = e.present;
    e.present = [];
    for (const w of waiting) if (--this.toExtract[w]! === 0) this.waiter.present(w);
  }
}
