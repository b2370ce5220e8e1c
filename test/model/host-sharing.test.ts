/**
 * HostSharing marks a host whenever a flow on its own resources starts, ends, is cancelled or
 * re-capped, or a capacity changes there; a flow that joins a host's resources to another host's
 * or to a shared one makes every host count as marked from then on.
 */
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { HostSharing } from "../../sim/model/index.js";
import { FluidSharing } from "../../sim/sharing/index.js";

function setup(): { sim: Simulation; sharing: HostSharing; cpu: number[]; registry: number } {
  const sim = new Simulation();
  const sharing = new HostSharing(new FluidSharing(sim), 3);
  const cpu = [0, 1, 2].map((h) => sharing.addResource(4, `h${h}/cpu`, h));
  const registry = sharing.addResource(100, "registry");
  return { sim, sharing, cpu, registry };
}

const marked = (s: HostSharing): number[] => [0, 1, 2].filter((h) => s.isMarked(h));

describe("HostSharing", () => {
  it("marks the host of each change, and only it", () => {
    const { sim, sharing, cpu, registry } = setup();
    const done: number[] = [];
    const f = sharing.startFlow({ work: 2, uses: [{ resource: cpu[1]! }], cap: 1, onDone: (id) => done.push(id) });
    expect(marked(sharing)).toEqual([1]);
    sharing.clearMarks();
    // Shared resources mark nobody.
    sharing.startFlow({ work: 10, uses: [{ resource: registry }] });
    const demand = sharing.startFlow({ work: Infinity, uses: [{ resource: cpu[2]! }], cap: 1 });
    expect(marked(sharing)).toEqual([2]);
    sharing.clearMarks();
    sharing.setCap(demand, 1);
    expect(marked(sharing)).toEqual([]);
    sharing.setCap(demand, 2);
    expect(marked(sharing)).toEqual([2]);
    sharing.clearMarks();
    sim.run(5);
    // The finite flow on host 1 ended (its onDone ran, with its id), and nothing else moved.
    expect(done).toEqual([f]);
    expect(marked(sharing)).toEqual([1]);
    sharing.clearMarks();
    sharing.cancelFlow(demand);
    sharing.setCapacity(cpu[0]!, 2);
    expect(marked(sharing)).toEqual([0, 2]);
    expect(sharing.markedHosts()).toEqual([2, 0]);
    expect(sharing.everyHostMarked).toBe(false);
  });

  it("a flow across two hosts, or a host and a shared resource, marks every host from then on", () => {
    for (const other of ["host", "shared"] as const) {
      const { sharing, cpu, registry } = setup();
      sharing.startFlow({ work: 1, uses: [{ resource: cpu[0]! }, { resource: other === "host" ? cpu[1]! : registry }] });
      sharing.clearMarks();
      expect(sharing.everyHostMarked).toBe(true);
      expect(marked(sharing)).toEqual([0, 1, 2]);
    }
  });

  it("a client's flows end in its handler with their tokens, on a host or not; a cancelled one never", () => {
    const { sim, sharing, cpu, registry } = setup();
    const ends: number[] = [];
    const client = sharing.client((token) => ends.push(token));
    sharing.startFlowFor({ work: 2, uses: [{ resource: cpu[0]! }], cap: 1 }, client, 7);
    sharing.startFlowFor({ work: 1, uses: [{ resource: registry }] }, client, 8);
    const cancelled = sharing.startFlowFor({ work: 1, uses: [{ resource: cpu[1]! }], cap: 1 }, client, 9);
    sharing.cancelFlow(cancelled);
    sharing.clearMarks();
    sim.run(5);
    expect(ends).toEqual([8, 7]);
    expect(marked(sharing)).toEqual([0]);
  });
});
