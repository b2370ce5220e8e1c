import { describe, expect, it } from "vitest";
import type { OperationsSpec } from "../../sim/cost/index.js";
import { operationsCost } from "../../sim/cost/index.js";
import { host } from "./hosts.js";

const ops: OperationsSpec = { patchHoursPerOsInstance: 0.5, hourlyRate: 80 };
const hosts = [host({ guests: { linux: 5, windows: 2 }, containers: 12 }), host({ name: "h-2", guests: { linux: 3, windows: 0 } })];

describe("operations: patch hours per OS instance x hourly rate", () => {
  it("the host OS of every host counts in every mode; containers add none", () => {
    const noGuests = hosts.map((h) => ({ ...h, guests: { linux: 0, windows: 0 } }));
    for (const kind of ["bare", "container", "vm", "microvm"] as const) {
      const c = operationsCost(noGuests, { name: kind, kind }, ops);
      expect(c.osInstances).toBe(2);
      expect(c.monthly).toBe(2 * 0.5 * 80);
    }
  });

  it("each VM guest adds one OS instance", () => {
    const c = operationsCost(hosts, { name: "vm", kind: "vm" }, ops);
    expect(c.osInstances).toBe(2 + 5 + 2 + 3);
    expect(c.monthly).toBe(12 * 0.5 * 80);
    expect(c.detail).toBe("operations: 12 OS instances (2 host + 10 guest) x 0.5 h x $80/h = $480.00/month");
  });

  it("microVM guests are rebuilt, not patched, unless microvmGuestsArePatched", () => {
    const microvm = { name: "microvm", kind: "microvm" } as const;
    expect(operationsCost(hosts, microvm, ops).osInstances).toBe(2);
    expect(operationsCost(hosts, microvm, { ...ops, microvmGuestsArePatched: true }).osInstances).toBe(12);
  });
});
