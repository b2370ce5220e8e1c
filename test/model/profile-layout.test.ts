import { describe, expect, it } from "vitest";
import { oneLayout, PROFILES } from "../../sim/model/index.js";
import { resolveMode } from "../../sim/experiment/resolve.js";

/** An object's own keys in order, those whose value is undefined included. */
const keys = (o: object): string[] => Object.keys(o);

describe("oneLayout", () => {
  it("gives every built-in profile the same keys in the same order, its running too", () => {
    const layouts = PROFILES.map((p) => keys(oneLayout(p)).join(","));
    const running = PROFILES.map((p) => keys(oneLayout(p).running).join(","));
    expect(new Set(layouts).size).toBe(1);
    expect(new Set(running).size).toBe(1);
    // All four kinds are among them.
    expect(new Set(PROFILES.map((p) => p.kind))).toEqual(new Set(["bare", "container", "vm", "microvm"]));
  });

  it("keeps every field of every profile, with its value, and adds only undefined ones", () => {
    for (const p of PROFILES) {
      const l = oneLayout(p) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(p)) {
        if (k === "running") expect(l.running).toEqual(v);
        else expect(l[k], `${p.name}.${k}`).toBe(v);
      }
      for (const k of keys(l)) if (!(k in p)) expect(l[k], `${p.name}.${k}`).toBeUndefined();
    }
  });

  it("is the layout a resolved mode's profile has, overrides and all", () => {
    const container = resolveMode("container", { kind: "container", extract: { rate: 1e8 } }).profile;
    const vm = resolveMode("vm", { kind: "vm", guestOs: { memory: 2 ** 29 } }).profile;
    const bare = resolveMode("bare", { kind: "bare" }).profile;
    expect(keys(container)).toEqual(keys(vm));
    expect(keys(bare)).toEqual(keys(vm));
    expect(vm.kind === "vm" && vm.guestOs.memoryBytes).toBe(2 ** 29);
    expect(container.kind === "container" && container.extract.rateBytesPerS).toBe(1e8);
  });
});
