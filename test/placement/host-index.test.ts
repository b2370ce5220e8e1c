import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildHosts, resolveWorkload } from "../../sim/experiment/index.js";
import { footprint, type Footprint, type Host } from "../../sim/model/index.js";
import { chooseHost, Placer, type PlacementPolicy } from "../../sim/placement/index.js";
import { scenario } from "../helpers/scenario.js";

const POLICIES: readonly PlacementPolicy[] = ["first-fit", "best-fit", "worst-fit", "ffd", "bfd"];

const hostType = fc.record({
  count: fc.integer({ min: 1, max: 12 }),
  cores: fc.constantFrom(4, 8, 16, 32),
  memory: fc.constantFrom("16GiB", "32GiB", "64GiB"),
});

const app = fc.record({
  cpu: fc.constantFrom(0.25, 0.5, 1, 2, 3, 8),
  memory: fc.constantFrom("256MiB", "1GiB", "3GiB", "8GiB", "20GiB"),
  ports: fc.constantFrom([], [8080]),
  runtime: fc.constantFrom(undefined, "java@11", "java@17"),
  os: fc.constantFrom("linux", "linux", "windows"),
});

const mode = fc.constantFrom<Record<string, unknown>>({ bare: {} }, { container: {} }, { vm: { overcommit: { cpu: 2 } } }, { microvm: {} });

/** A step: request an instance of app `app`, or release the `release`-th oldest placed instance. */
const step = fc.oneof(
  fc.record({ app: fc.nat(), release: fc.constant(-1) }),
  fc.record({ app: fc.constant(-1), release: fc.nat() }),
);

describe("HostIndex finds exactly the host the full scan finds (fast-check)", () => {
  it("same host or same reason (find: same host or none), for every policy, through placements and releases", () => {
    fc.assert(
      fc.property(
        fc.array(hostType, { minLength: 1, maxLength: 3 }),
        fc.array(app, { minLength: 1, maxLength: 4 }),
        mode,
        fc.constantFrom(...POLICIES),
        fc.array(step, { minLength: 1, maxLength: 120 }),
        (types, apps, modes, policy, steps) => {
          const s = scenario({
            version: 1,
            name: "t",
            replications: 1,
            hosts: types.map((t, k) => ({ type: `h${k}`, ...t })),
            apps: apps.map((a, k) => ({
              name: `a${k}`,
              replicas: 1,
              cpu: a.cpu,
              memory: a.memory,
              ports: a.ports,
              // VM guests and container engines need a profile of the app's OS family: keep Windows to bare processes.
              os: "bare" in modes ? a.os : "linux",
              ...(a.runtime ? { runtime: a.runtime } : {}),
            })),
            modes,
            placement: { policy },
          });
          const w = resolveWorkload(s.scenario);
          const m = w.modes[0]!;
          const hosts = buildHosts(w, m);
          const placer = new Placer(hosts, policy);
          const placed: { host: Host; app: (typeof w.apps)[number]; fp: Footprint }[] = [];
          for (const st of steps) {
            if (st.release >= 0) {
              if (placed.length === 0) continue;
              const [p] = placed.splice(st.release % placed.length, 1);
              p!.host.release(p!.app, p!.fp);
              continue;
            }
            const a = w.apps[st.app % w.apps.length]!;
            const req = { app: a, footprint: footprint(a, m) };
            const want = chooseHost(hosts, req, policy);
            const got = placer.choose(req);
            expect(got.host?.index).toBe(want.host?.index);
            expect(got.reason).toBe(want.reason);
            // find (a queued job's retry): the same host, and none exactly where choose gives a reason.
            expect(placer.find(req)?.index).toBe(want.host?.index);
            if (got.host) {
              got.host.commit(a, req.footprint);
              placed.push({ host: got.host, app: a, fp: req.footprint });
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("runs the filters on a few hosts, not all of them, when hosts are alike", () => {
    const s = scenario({
      version: 1,
      name: "t",
      replications: 1,
      hosts: [{ type: "h", count: 1024, cores: 64, memory: "512GiB" }],
      apps: [{ name: "a", replicas: 1, cpu: 0.5, memory: "1GiB" }],
      modes: { container: {} },
      placement: { policy: "worst-fit" },
    });
    const w = resolveWorkload(s.scenario);
    const m = w.modes[0]!;
    const hosts = buildHosts(w, m);
    const a = w.apps[0]!;
    const req = { app: a, footprint: footprint(a, m) };
    for (const policy of POLICIES) {
      for (const h of hosts) while (h.instances > 0) h.release(a, req.footprint);
      const placer = new Placer(hosts, policy);
      let most = 0;
      for (let i = 0; i < 4096; i++) {
        const d = placer.choose(req);
        expect(d.host).toBeDefined();
        d.host!.commit(a, req.footprint);
        most = Math.max(most, placer.visited);
      }
      // Worst fit spreads (every host ties once per round), the others pack: the subtree with the better
      // bound is walked first, so the first host reached is the one chosen.
      expect(most).toBe(1);
    }
  });
});
