import { describe, expect, it } from "vitest";
import type { ScenarioIssue } from "../../sim/scenario/index.js";
import { at, issues } from "../helpers/issues.js";

const TEXT = `version: 1
name: t
hosts:
  - type: h
    count: 3
    cores: 8
    memory: 32GiB
apps:
  - name: web
    replicas: 4
    cpu: 1
    memory: 1GiB
modes:
  container: { drain: live }
  vm: { migration: { downtimeLimit: 0ms } }
maintenance:
  hostPatch: { every: 0d, duration: -20m, parallel: 4 }
  guestPatch: { every: 30d, reboot: 0s }
`;

describe("maintenance inputs a user can get wrong", () => {
  const all = issues(TEXT);
  const find = (path: string): ScenarioIssue => {
    const i = all.find((x) => x.path === path);
    if (!i) throw new Error(`no issue at ${path}: ${all.map((x) => `${x.path} ${x.message}`).join("; ")}`);
    return i;
  };
  it("every <= 0 and duration <= 0", () => {
    expect(find("maintenance.hostPatch.every").where).toBe(at(TEXT, 17, "0d"));
    expect(find("maintenance.hostPatch.every").message).toMatch(/expected a duration > 0.*found "0d"/);
    expect(find("maintenance.hostPatch.duration").where).toBe(at(TEXT, 17, "-20m"));
    expect(find("maintenance.guestPatch.reboot").message).toMatch(/expected a duration > 0/);
  });
  it("more hosts at once than the estate has", () => {
    const i = find("maintenance.hostPatch.parallel");
    expect(i.where).toBe(at(TEXT, 17, "4 }"));
    expect(i.message).toBe("expected at most the 3 hosts of the estate patched at once, found 4");
  });
  it("a container cannot be live-migrated; a zero downtime limit", () => {
    expect(find("modes.container.drain").where).toBe(at(TEXT, 14, "live"));
    expect(find("modes.container.drain").message).toMatch(/reschedule.*stop/);
    expect(find("modes.vm.migration.downtimeLimit").message).toMatch(/expected a duration > 0/);
  });
  it("a patch window as long as the period", () => {
    const text = TEXT.replace("every: 0d, duration: -20m, parallel: 4", "every: 1h, duration: 1h, parallel: 1");
    const i = issues(text).find((x) => x.path === "maintenance.hostPatch.duration");
    expect(i?.message).toBe("expected a patch window shorter than the period (every: 1h), found 1h");
  });
});
