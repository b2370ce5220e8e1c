/**
 * ServiceColumns hands out positions in per-host chunks: no position twice, each chunk one host's,
 * a host's positions rising in the order its services start, a new chunk only when the host's
 * is full, and every row handed out fresh (zeroed, index -1 until set) whatever the growth.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SERVICE_CHUNK, ServiceColumns } from "../../sim/model/service-columns.js";

describe("ServiceColumns", () => {
  it("hands out positions in per-host chunks, rising per host in start order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 400 }), (hosts) => {
        const c = new ServiceColumns();
        const seen = new Set<number>();
        const byHost = new Map<number, number[]>();
        const chunkHost = new Map<number, number>();
        for (const [i, h] of hosts.entries()) {
          const p = c.add(h);
          expect(seen.has(p)).toBe(false);
          seen.add(p);
          expect(p).toBeLessThan(c.end);
          // Fresh: nothing left over from another service or from growing.
          expect(c.index[p]).toBe(-1);
          expect(c.demandInt[p]).toBe(0);
          expect(c.taxInt[p]).toBe(0);
          c.index[p] = i;
          c.host[p] = h;
          const chunk = Math.floor(p / SERVICE_CHUNK);
          expect(chunkHost.get(chunk) ?? h).toBe(h);
          chunkHost.set(chunk, h);
          const mine = byHost.get(h) ?? [];
          if (mine.length > 0) expect(p).toBeGreaterThan(mine[mine.length - 1]!);
          mine.push(p);
          byHost.set(h, mine);
        }
        expect(c.count).toBe(hosts.length);
        // A host opens a chunk only when its last one is full.
        let chunks = 0;
        for (const mine of byHost.values()) chunks += Math.ceil(mine.length / SERVICE_CHUNK);
        expect(c.end).toBe(chunks * SERVICE_CHUNK);
        // Rows kept their values through growth; positions no service holds read -1.
        for (let p = 0; p < c.end; p++) {
          if (seen.has(p)) expect(hosts[c.index[p]!]).toBe(c.host[p]);
          else expect(c.index[p]).toBe(-1);
        }
      }),
      { numRuns: 200 },
    );
  });
});
