import { describe, expect, it } from "vitest";
import type { ScenarioIssue } from "../../sim/scenario/index.js";
import { at, issues } from "../helpers/issues.js";

const TEXT = `version: 1
name: t
hosts:
  - type: h
    cores: 8
    memory: 32GiB
    prepulled: [java, nginx]
images:
  java: { layers: [ { digest: jre, size: -140MiB } ] }
  a: { from: b, layers: [] }
  b: { from: a, layers: [] }
apps:
  - name: web
    replicas: 4
    cpu: 1
    memory: 1GiB
    image: java
    rollout: { batch: 0, pause: 10s }
`;

describe("start-up inputs a user can get wrong", () => {
  const all = issues(TEXT);
  const find = (path: string): ScenarioIssue => {
    const i = all.find((x) => x.path === path);
    if (!i) throw new Error(`no issue at ${path}: ${all.map((x) => x.path).join(", ")}`);
    return i;
  };
  it("reports all four at once, in file order", () => {
    expect(all.map((i) => i.path)).toEqual(["hosts[0].prepulled[1]", "images.java.layers[0].size", "images.a.from", "apps[0].rollout.batch"]);
  });
  it("a prepulled image that does not exist", () => {
    const i = find("hosts[0].prepulled[1]");
    expect(i.where).toBe(at(TEXT, 7, "nginx"));
    expect(i.message).toMatch(/expected an image defined under images \(one of: java, a, b\), found "nginx"/);
  });
  it("a layer with a negative size", () => {
    const i = find("images.java.layers[0].size");
    expect(i.where).toBe(at(TEXT, 9, "-140MiB"));
    expect(i.message).toMatch(/expected a non-negative value: a size/);
    expect(i.message).toMatch(/found "-140MiB"/);
  });
  it("an image cycle through from:", () => {
    const i = find("images.a.from");
    expect(i.where).toBe(at(TEXT, 10, "b,"));
    expect(i.message).toBe("expected base images (from:) without a cycle, found the cycle a -> b -> a");
  });
  it("a rollout batch of 0", () => {
    const i = find("apps[0].rollout.batch");
    expect(i.where).toBe(at(TEXT, 18, "0"));
    expect(i.message).toBe("expected a value >= 1, found 0");
  });
  it("a bad bandwidth unit on the registry and a disk", () => {
    const text = TEXT.replace("    prepulled: [java, nginx]\n", "    disk: { bandwidth: 2GB }\n")
      .replace("images:", "registry: { bandwidth: 1Gbps }\nimages:")
      .replace("size: -140MiB", "size: 140MiB")
      .replace("  a: { from: b, layers: [] }\n  b: { from: a, layers: [] }\n", "")
      .replace("batch: 0", "batch: 2");
    const got = issues(text);
    expect(got.map((i) => `${i.where} ${i.path}`)).toEqual([
      `${at(text, 7, "2GB")} hosts[0].disk.bandwidth`,
      `${at(text, 8, "1Gbps")} registry.bandwidth`,
    ]);
    expect(got[0]!.message).toMatch(/expected a bandwidth like 1Gbit\/s/);
  });
});
