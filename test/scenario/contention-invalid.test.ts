import { describe, expect, it } from "vitest";
import { loadScenarioFile, loadScenarioText, type ScenarioIssue } from "../../sim/scenario/index.js";

const HEAD = `version: 1
name: t
hosts: [ { type: h, cores: 8, memory: 32GiB } ]
apps:
`;

function issues(text: string, file = "s.yaml"): readonly ScenarioIssue[] {
  const r = loadScenarioText(text, file);
  if (r.ok) throw new Error("expected issues");
  return r.issues;
}

describe("contention inputs a user can get wrong", () => {
  it("a diurnal peak below its mean", () => {
    const [i, ...rest] = issues(`${HEAD}  - { name: a, replicas: 1, cpu: 1, memory: 1GiB, load: { pattern: diurnal, mean: 2, peak: 1 } }\n`);
    expect(rest).toEqual([]);
    expect(i!.where).toBe("s.yaml:5:92");
    expect(i!.path).toBe("apps[0].load.peak");
    expect(i!.message).toBe("expected a peak >= the mean, found 1");
  });
  it("a negative arrival rate", () => {
    const [i] = issues(`${HEAD}  - { name: j, kind: job, arrivals: { process: poisson, rate: -3/h }, work: 10s, cpu: 1, memory: 1GiB }\n`);
    expect(i!.where).toBe("s.yaml:5:63");
    expect(i!.path).toBe("apps[0].arrivals.rate");
    expect(i!.message).toMatch(/^expected a non-negative value: a rate like 20\/h/);
  });
  it("a job without work, a service field on a job", () => {
    const got = issues(`${HEAD}  - { name: j, kind: job, replicas: 3, arrivals: { process: interval, every: 1m }, cpu: 1, memory: 1GiB }\n`);
    expect(got.map((i) => i.message)).toEqual([
      "expected work (the work of one job in core-seconds), found nothing: a job needs it",
      "expected no replicas on a job (replicas is for services; a job runs its work once per arrival), found replicas",
    ]);
  });
  it("a load trace that does not exist: the position of its file field", () => {
    const text = `${HEAD}  - { name: a, replicas: 1, cpu: 1, memory: 1GiB, load: { pattern: trace, file: nope.csv } }\n`;
    const [i] = issues(text, "test/fixtures/traces/s.yaml");
    expect(i!.where).toBe("test/fixtures/traces/s.yaml:5:81");
    expect(i!.path).toBe("apps[0].load.file");
    expect(i!.message).toMatch(/expected the trace "nope.csv" to be a regular UTF-8 text file .*, found no such file/);
  });
  it("a malformed row in a load trace: the CSV's file:line:col", () => {
    const text = `${HEAD}  - { name: a, replicas: 1, cpu: 1, memory: 1GiB, load: { pattern: trace, file: bad-load.csv } }\n`;
    const [i] = issues(text, "test/fixtures/traces/s.yaml");
    expect(i!.where).toBe("bad-load.csv:4:4");
    expect(i!.message).toBe('expected a non-negative number of cores up to 100000, found "abc"');
  });
  it("the example scenarios load", () => {
    for (const f of ["noisy-neighbour", "boot-storm", "image-layers", "quickstart", "runtime-conflicts"]) {
      const r = loadScenarioFile(`scenarios/${f}.yaml`);
      expect(r.ok ? "ok" : r.issues.map((i) => i.message).join("; ")).toBe("ok");
    }
  });
});

describe("windows apps and the default modes", () => {
  it("say the default VM profiles run Linux guests, and how to fix it", () => {
    const r = loadScenarioText(`${HEAD}  - { name: w, replicas: 1, os: windows, cpu: 1, memory: 1GiB }\n`, "w.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]!.where).toBe("w.yaml:1:1");
    expect(r.issues[0]!.message).toMatch(/expected modes with a windows profile for app "w", found no modes \(the default container, vm and microvm profiles run linux\); add modes, e.g\. modes: \{ bare: \{\}, container: \{ profile: windows-process \}/);
  });
});
