/** Profile parameters: one listing for `densim profiles` and for the assumptions every run records. */
import { describe, expect, it } from "vitest";
import { runExperiment } from "../../sim/experiment/index.js";
import { findProfile, PROFILES, profileParameters } from "../../sim/model/index.js";
import { loadScenarioFile } from "../../sim/scenario/index.js";

describe("profileParameters", () => {
  it.each(PROFILES.map((p) => [p.name, p] as const))("%s: every parameter has a value and cites a source (the guest OS family is the profile's definition)", (_, p) => {
    const params = profileParameters(p);
    expect(params.length).toBeGreaterThan(2);
    expect(new Set(params.map((x) => x.parameter)).size).toBe(params.length);
    for (const x of params) {
      expect(x.value).not.toBe("");
      expect(x.value).not.toMatch(/\d{9,}/); // no float noise such as 0.056999999999999995
      if (x.parameter !== "guestOs.family") expect(x.source).toMatch(/^[\w-]+: ./);
    }
  });

  it("writes values with units", () => {
    const fc = profileParameters(findProfile("microvm", "firecracker")!);
    const value = (name: string) => fc.find((x) => x.parameter === name)?.value;
    expect(value("guestOs.memory")).toBe("32 MiB");
    expect(value("boot.delay")).toBe("lognormal: mean 51.6 ms, sd 7.74 ms");
    expect(value("serial")).toMatch(/^lognormal: mean 5.4 ms, sd 810 µs /);
    expect(value("running.cpuTax.cpu")).toBe("2%");
    expect(value("running.cpuTax.database")).toBe("40%");
    expect(value("running.io.random")).toBe("50% of native per instance");
  });
});

describe("results: assumptions per mode", () => {
  const loaded = loadScenarioFile("scenarios/quickstart.yaml", { replications: 1, sets: ["modes.vm.guestOs.memory=1GiB"] });
  if (!loaded.ok) throw new Error("invalid");
  const r = runExperiment(loaded, { modes: ["vm", "microvm"] }).results;

  it("lists the profile's parameters with the default's source", () => {
    const micro = r.modes.microvm!.assumptions;
    expect(micro).toEqual(profileParameters(findProfile("microvm", "firecracker")!));
  });

  it("says where the scenario overrode a default", () => {
    const vm = r.modes.vm!.assumptions;
    expect(vm.find((a) => a.parameter === "guestOs.memory")).toEqual({ parameter: "guestOs.memory", value: "1 GiB", source: "scenario: modes.vm" });
    expect(vm.find((a) => a.parameter === "hypervisor.perVm")?.source).toMatch(/^kubevirt: /);
  });
});
