/**
 * Start-up under concurrency against published figures (docs/calibration.md): warm `docker run`
 * alone on an SSD and an HDD (dockerrun26), 32 at once (dockerstorm21), 1,000 Firecracker microVMs
 * at once on a 36-core host (firecracker-nsdi20), a Firecracker boot alone (firecracker-spec).
 * The cases are the ones `npm run validate` prints (bench/validation.ts).
 */
import { describe, expect, it } from "vitest";
import { VALIDATIONS, warmDockerRun } from "../../bench/validation.js";

const startupCases = VALIDATIONS.filter((v) => ["dockerrun26", "dockerstorm21", "firecracker-nsdi20", "firecracker-spec", "vsphere65"].includes(v.source));
/** The 1,000-microVM storm (firecracker-nsdi20) is a long run: startup.slow.test.ts (`npm run test:validate`). */
const quickCases = startupCases.filter((v) => v.source !== "firecracker-nsdi20");

describe("start-up figures within their tolerance", () => {
  it("covers every start-up figure with a published number", () => {
    expect(startupCases.map((v) => v.source)).toEqual(expect.arrayContaining(["dockerrun26", "dockerstorm21", "firecracker-nsdi20", "firecracker-spec"]));
  });
  it.each(quickCases.map((v) => [v.quantity, v] as const))("%s", (_, v) => {
    const got = v.measure();
    expect(Math.abs(got - v.published) / v.published).toBeLessThanOrEqual(v.tolerance);
  });
});

describe("the storms behave as the sources describe", () => {
  it("32 warm docker run at once: every one is several times slower than alone (the serial step is shared), mean near 7.4 s", () => {
    const [run] = warmDockerRun(32, 0, "1GB/s", 1);
    const times = run!.instances.map((i) => i.readyAt - i.requestedAt);
    expect(Math.min(...times)).toBeGreaterThan(3 * 0.568);
    expect(Math.abs(run!.metrics["startup.mean"]! - 7.4) / 7.4).toBeLessThan(0.25);
    // Not all at one instant: the spread of the steps reaches the quantiles.
    expect(run!.metrics["startup.p50"]!).toBeLessThan(run!.metrics["startup.max"]!);
  });

  it("an HDD-class disk doubles a warm create alone; an SSD keeps 568 ms", () => {
    const ssd = warmDockerRun(20, 10, "1GB/s", 1)[0]!.metrics["startup.mean"]!;
    const hdd = warmDockerRun(20, 10, "100MB/s", 1)[0]!.metrics["startup.mean"]!;
    expect(hdd / ssd).toBeGreaterThan(1.8);
    expect(hdd / ssd).toBeLessThan(2.3);
  });
});
