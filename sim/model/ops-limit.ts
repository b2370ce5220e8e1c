/**
 * A per-host limit on operations at once (a management plane's concurrent provisioning tasks):
 * `acquire(host, token)` grants the token now if a slot is free, else when one frees, first come
 * first served; a grant calls the one `grant` callback with the token (no closure per operation).
 */
export class OpsLimit {
  private readonly busy: number[];
  private readonly waiting: number[][];
  private readonly heads: number[];

  /** `limit` slots per host; 0 means no limit. */
  constructor(
    hosts: number,
    private readonly limit: number,
    private readonly grant: (token: number) => void,
  ) {
    this.busy = new Array<number>(hosts).fill(0);
    this.waiting = Array.from({ length: hosts }, () => []);
    this.heads = new Array<number>(hosts).fill(0);
  }

  acquire(host: number, token: number): void {
    if (this.limit <= 0) {
      this.grant(token);
      return;
    }
    if ((this.busy[host] as number) < this.limit) {
      this.busy[host] = (this.busy[host] as number) + 1;
      this.grant(token);
    } else (this.waiting[host] as number[]).push(token);
  }

  /** Frees a slot of `host`: the longest waiting operation takes it. */
  release(host: number): void {
    if (this.limit <= 0) return;
    const queue = this.waiting[host] as number[];
    const head = this.heads[host] as number;
    if (head < queue.length) {
      const next = queue[head] as number;
      this.heads[host] = head + 1;
      if (head + 1 === queue.length) {
        queue.length = 0;
        this.heads[host] = 0;
      } else if (head + 1 > 1024 && 2 * (head + 1) > queue.length) {
        // A queue that never empties (a steady stream of VM jobs) drops what it has served.
        queue.splice(0, head + 1);
        this.heads[host] = 0;
      }
      this.grant(next);
    } else this.busy[host] = (this.busy[host] as number) - 1;
  }
}
