/**
 * LayerCaches under a storm of pulls: every request hears `downloaded` then `present` once, a
 * layer is pulled once per host however many wait for it, and every download and extraction ends
 * in one of two handlers (no closure per pull: closures made per pull lose their compiled code
 * once no pull is under way, and the flow table would intern each of them).
 */
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { LayerCaches } from "../../sim/model/layer-cache.js";
import { HostSharing } from "../../sim/model/index.js";
import { FluidSharing, type FlowSpec, type OnDone } from "../../sim/sharing/index.js";

const MB = 1e6;

function storm(hosts: number, tokensPerHost: number) {
  const sim = new Simulation();
  const sharing = new HostSharing(new FluidSharing(sim), hosts);
  const registry = sharing.addResource(200 * MB, "registry");
  const hostResources = Array.from({ length: hosts }, (_, h) => ({
    cpu: sharing.addResource(4, `h${h}/cpu`, h),
    disk: sharing.addResource(500 * MB, `h${h}/disk`, h),
    nic: sharing.addResource(100 * MB, `h${h}/nic`, h),
  }));
  const handlers = new Set<OnDone>();
  const startFlow = sharing.startFlow.bind(sharing);
  sharing.startFlow = (spec: FlowSpec) => {
    if (spec.onDone) handlers.add(spec.onDone);
    return startFlow(spec);
  };
  const heard: string[] = [];
  const caches = new LayerCaches(
    sim,
    sharing,
    Array.from({ length: hosts }, () => new Set(["base"])),
    { registry, latencyS: 0.05, maxConcurrentDownloads: 2, extractRateBytesPerS: 150 * MB, expansion: 2, hostResources },
    { downloaded: (t) => heard.push(`d${t}`), present: (t) => heard.push(`p${t}`) },
  );
  const layers = [
    { digest: "base", bytes: 80 * MB },
    { digest: "runtime", bytes: 60 * MB },
    { digest: "app", bytes: 20 * MB },
    { digest: "empty", bytes: 0 },
  ];
  for (let h = 0; h < hosts; h++) {
    for (let k = 0; k < tokensPerHost; k++) {
      const token = h * tokensPerHost + k;
      // Every other request also wants a layer of its own.
      const own = k % 2 === 0 ? [{ digest: `own-${k}`, bytes: 5 * MB }] : [];
      sim.at(k * 0.3, sim.register(() => caches.acquire(h, [...layers, ...own], token)), 0);
    }
  }
  sim.run(Infinity);
  return { heard, handlers, stats: caches.stats, caches };
}

describe("LayerCaches", () => {
  it("answers every request of a storm, pulls each layer once per host, and ends every pull in one of two handlers", () => {
    const hosts = 3;
    const per = 12;
    const { heard, handlers, stats, caches } = storm(hosts, per);
    for (let t = 0; t < hosts * per; t++) {
      expect(heard.filter((x) => x === `d${t}`)).toHaveLength(1);
      expect(heard.filter((x) => x === `p${t}`)).toHaveLength(1);
      expect(heard.indexOf(`d${t}`)).toBeLessThan(heard.indexOf(`p${t}`));
    }
    // Prepulled "base" is never pulled; runtime, app, empty once per host; own-k once per host per even k.
    expect(stats.downloads).toBe(hosts * (3 + per / 2));
    expect(stats.bytes).toBe(hosts * (80 * MB + (per / 2) * 5 * MB));
    for (let h = 0; h < hosts; h++) for (const d of ["base", "runtime", "app", "empty", "own-0"]) expect(caches.has(h, d)).toBe(true);
    // Downloads and extractions: two handlers for the whole storm.
    expect(handlers.size).toBe(2);
  });
});
