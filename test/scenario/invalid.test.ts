/**
 * Every mistake a user can make in a scenario comes back as an issue with the exact
 * file:line:col (or the --set that caused it), the field's path, and a message saying what was
 * expected and what was found. Positions below are 1-based and were counted from the fixtures;
 * `pointsAt` double-checks each one against the fixture text.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { STARTER } from "../../sim/cli/commands/init.js";
import { loadScenarioFile, loadScenarioText, type LoadOptions, type ScenarioIssue } from "../../sim/scenario/index.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const FIXTURES = join(ROOT, "test", "fixtures", "invalid");
const QUICKSTART = join(ROOT, "scenarios", "quickstart.yaml");
const CONFLICTS = join(ROOT, "scenarios", "runtime-conflicts.yaml");

/** Lines 1-9; the apps of each fixture start on line 10. */
const HEAD = `version: 1
name: t
hosts:
  - type: h
    cores: 8
    memory: 32GiB
images:
  base: { layers: [ { digest: d, size: 10MiB } ] }
apps:
`;

/** The issues of an invalid scenario; fails the test if it loaded. */
function issuesOf(text: string, file = "t.yaml", options: LoadOptions = {}): readonly ScenarioIssue[] {
  const r = loadScenarioText(text, file, options);
  if (r.ok) throw new Error(`${file} loaded, but it should not have`);
  return r.issues;
}

function issuesOfFile(file: string, options: LoadOptions = {}): readonly ScenarioIssue[] {
  const r = loadScenarioFile(file, options);
  if (r.ok) throw new Error(`${file} loaded, but it should not have`);
  return r.issues;
}

/** The only issue; fails the test if there are none or several. */
function only(issues: readonly ScenarioIssue[]): ScenarioIssue {
  expect(issues, JSON.stringify(issues, null, 2)).toHaveLength(1);
  return issues[0] as ScenarioIssue;
}

/** The text at a `file:line:col`, to the end of that line. */
function pointsAt(text: string, where: string): string {
  const m = /:(\d+):(\d+)$/.exec(where);
  if (!m) throw new Error(`no line:col in ${where}`);
  const line = text.split("\n")[Number(m[1]) - 1];
  if (line === undefined) throw new Error(`${where}: the text has no such line`);
  return line.slice(Number(m[2]) - 1);
}

describe("unknown fields", () => {
  const text = `${HEAD}  - name: a
    replicas: 1
    cpu: 1
    memory: 1GiB
    replcas: 2
`;

  it("are reported at the key, with the allowed fields", () => {
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:14:5");
    expect(pointsAt(text, i.where)).toBe("replcas: 2");
    expect(i.path).toBe("apps[0].replcas");
    expect(i.code).toBe("unknown_field");
    expect(i.message).toContain('unknown field "replcas"');
    expect(i.message).toMatch(/one of: .*\breplicas\b/);
  });

  it("suggest the field a near miss meant", () => {
    expect(only(issuesOf(text)).message).toContain('did you mean "replicas"?');
  });

  it("suggest nothing for a field far from every allowed one", () => {
    const i = only(issuesOf(text.replace("replcas: 2", "colour: red")));
    expect(i.where).toBe("t.yaml:14:5");
    expect(i.path).toBe("apps[0].colour");
    expect(i.message).toContain('unknown field "colour"');
    expect(i.message).not.toContain("did you mean");
  });

  it("are reported at the root too", () => {
    const i = only(issuesOf(HEAD.replace("name: t\n", "name: t\nseeed: 3\n") + "  - { name: a, replicas: 1, cpu: 1, memory: 1GiB }\n"));
    expect(i.where).toBe("t.yaml:3:1");
    expect(i.path).toBe("seeed");
    expect(i.message).toContain('did you mean "seed"?');
  });
});

describe("units", () => {
  const app = (memory: string): string => `${HEAD}  - name: a
    replicas: 1
    cpu: 1
    memory: ${memory}
`;

  it('reject "1Gb" (bits are not a size unit) at the value', () => {
    const text = app("1Gb");
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:13:13");
    expect(pointsAt(text, i.where)).toBe("1Gb");
    expect(i.path).toBe("apps[0].memory");
    expect(i.message).toMatch(/^expected a size like .*GiB/);
    expect(i.message).toContain('found "1Gb"');
  });

  it('reject a negative size "-2GiB"', () => {
    const text = app("-2GiB");
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:13:13");
    expect(pointsAt(text, i.where)).toBe("-2GiB");
    expect(i.path).toBe("apps[0].memory");
    expect(i.message).toMatch(/expected a non-negative value: a size/);
    expect(i.message).toContain('found "-2GiB"');
  });

  it("reject a negative number of bytes -5", () => {
    const text = app("-5");
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:13:13");
    expect(pointsAt(text, i.where)).toBe("-5");
    expect(i.path).toBe("apps[0].memory");
    expect(i.message).toMatch(/expected a non-negative value: a size/);
    expect(i.message).toMatch(/found -5$/);
  });

  it("reject a bad duration with the duration units in the message", () => {
    const text = HEAD.replace("name: t\n", "name: t\nhorizon: 6hours\n") + "  - { name: a, replicas: 1, cpu: 1, memory: 1GiB }\n";
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:3:10");
    expect(i.path).toBe("horizon");
    expect(i.message).toMatch(/expected a duration like .*250ms/);
    expect(i.message).toContain('found "6hours"');
  });
});

describe("references", () => {
  it("an unknown image, naming the images that exist", () => {
    const text = `${HEAD}  - name: a
    replicas: 1
    cpu: 1
    memory: 1GiB
    image: nope
`;
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:14:12");
    expect(pointsAt(text, i.where)).toBe("nope");
    expect(i.path).toBe("apps[0].image");
    expect(i.code).toBe("unknown_image");
    expect(i.message).toContain('found "nope"');
    expect(i.message).toContain("expected an image defined under images (one of: base)");
  });

  it("an unknown profile (modes.vm.profile: vmware), naming the vm profiles", () => {
    const text = `${HEAD}  - { name: a, replicas: 1, cpu: 1, memory: 1GiB }
modes:
  vm: { profile: vmware }
`;
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:12:18");
    expect(pointsAt(text, i.where)).toBe("vmware }");
    expect(i.path).toBe("modes.vm.profile");
    expect(i.message).toMatch(/^expected .*"kvm-qemu".*"kubevirt".*"vmware-linux".*"hyperv-windows".*"kvm-linux"/);
    expect(i.message).toContain('found "vmware"');
  });

  it("an image cycle through from:, reported once at its first member", () => {
    const text = `version: 1
name: t
hosts:
  - { type: h, cores: 8, memory: 32GiB }
images:
  a: { from: b, layers: [] }
  b: { from: c, layers: [] }
  c: { from: a, layers: [] }
apps:
  - { name: x, replicas: 1, cpu: 1, memory: 1GiB, image: a }
`;
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:6:14");
    expect(pointsAt(text, i.where)).toBe("b, layers: [] }");
    expect(i.path).toBe("images.a.from");
    expect(i.code).toBe("image_cycle");
    expect(i.message).toContain("a -> b -> c -> a");
  });

  it("an image based on itself", () => {
    const text = `version: 1
name: t
hosts: [ { type: h, cores: 8, memory: 32GiB } ]
images:
  a: { from: a }
apps: [ { name: x, replicas: 1, cpu: 1, memory: 1GiB } ]
`;
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:5:14");
    expect(i.path).toBe("images.a.from");
    expect(i.message).toContain("a -> a");
  });

  it("an unknown base image", () => {
    const text = `version: 1
name: t
hosts: [ { type: h, cores: 8, memory: 32GiB } ]
images:
  a: { from: debian }
apps: [ { name: x, replicas: 1, cpu: 1, memory: 1GiB } ]
`;
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:5:14");
    expect(i.path).toBe("images.a.from");
    expect(i.message).toContain('found "debian"');
    expect(i.message).toContain("expected a base image defined under images (one of: a)");
  });
});

describe("YAML syntax errors", () => {
  it("bad indentation: at the misplaced line, before any schema check", () => {
    const text = `${HEAD}  - name: a
    replicas: 1
  cpu: 1
    memory: 1GiB
`;
    const issues = issuesOf(text);
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) {
      expect(i.code).toBe("syntax");
      expect(i.path).toBe("(scenario)");
      expect(i.message).toMatch(/^expected valid YAML, found a syntax error: /);
    }
    const first = issues[0] as ScenarioIssue;
    expect(first.where).toBe("t.yaml:12:1");
    expect(first.message).toContain("All mapping items must start at the same column");
  });

  it("a tab used as indentation", () => {
    const text = `${HEAD}  - name: a\n\treplicas: 1\n`;
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:11:1");
    expect(i.message).toMatch(/^expected valid YAML, found a syntax error: .*[Tt]ab/);
  });

  it("an unclosed bracket: where the parser finds out, on the next line", () => {
    // The parser notices the missing ] when the next key starts; the opening [ is at 12:12.
    const text = `${HEAD}  - name: a
    replicas: 1
    ports: [8080, 9090
    cpu: 1
    memory: 1GiB
`;
    const issues = issuesOf(text);
    const first = issues[0] as ScenarioIssue;
    expect(first.code).toBe("syntax");
    expect(first.where).toBe("t.yaml:13:5");
    expect(first.message).toMatch(/^expected valid YAML, found a syntax error: .*end with a \]/);
  });

  it("a bracket closed by the wrong kind: at the wrong closer", () => {
    const text = `${HEAD}  - { name: a, replicas: 1, cpu: 1, memory: 1GiB, ports: [8080 }\n`;
    const first = issuesOf(text)[0] as ScenarioIssue;
    expect(first.code).toBe("syntax");
    expect(first.where).toBe("t.yaml:10:64");
    expect(pointsAt(text, first.where)).toBe("}");
    expect(first.message).toMatch(/^expected valid YAML, found a syntax error: .*end with a \]/);
  });

  it("an unclosed bracket at the end of the file: at the end of the input", () => {
    const text = `${HEAD}  - { name: a, replicas: 1, cpu: 1, memory: 1GiB, ports: [8080\n`;
    const first = issuesOf(text)[0] as ScenarioIssue;
    expect(first.code).toBe("syntax");
    expect(first.where).toBe("t.yaml:11:1");
    expect(first.message).toMatch(/^expected valid YAML, found a syntax error: .*end with a \]/);
  });

  it("a repeated key", () => {
    const text = "version: 1\nname: t\nname: u\nhosts: []\napps: []\n";
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:3:1");
    expect(i.message).toMatch(/^expected valid YAML, found a syntax error: .*unique/);
  });

  it("a document that is not a mapping", () => {
    const i = only(issuesOf("- version: 1\n- name: t\n"));
    expect(i.where).toBe("t.yaml:1:1");
    expect(i.path).toBe("(scenario)");
    expect(i.message).toBe("expected a mapping of scenario fields, found a list");
  });

  it("an empty file", () => {
    const i = only(issuesOf(""));
    expect(i.where).toBe("t.yaml:1:1");
    expect(i.message).toMatch(/^expected a mapping of scenario fields, found/);
  });
});

describe("values", () => {
  it("a duplicate app name, at the second name", () => {
    const text = `${HEAD}  - name: a
    replicas: 1
    cpu: 1
    memory: 1GiB
  - name: a
    replicas: 2
    cpu: 1
    memory: 1GiB
`;
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:14:11");
    expect(pointsAt(text, i.where)).toBe("a");
    expect(i.path).toBe("apps[1].name");
    expect(i.code).toBe("duplicate");
    expect(i.message).toBe('expected an app name used once, found "a" again (first at apps[0])');
  });

  it('a wrong type (replicas: "ten")', () => {
    const text = `${HEAD}  - name: a
    replicas: "ten"
    cpu: 1
    memory: 1GiB
`;
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:11:15");
    expect(pointsAt(text, i.where)).toBe('"ten"');
    expect(i.path).toBe("apps[0].replicas");
    expect(i.message).toMatch(/^expected a number/);
    expect(i.message).toContain('found "ten"');
  });

  it("a number out of range (replicas: -1)", () => {
    const text = `${HEAD}  - name: a
    replicas: -1
    cpu: 1
    memory: 1GiB
`;
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:11:15");
    expect(i.path).toBe("apps[0].replicas");
    expect(i.message).toBe("expected a value >= 0, found -1");
  });

  it("a missing required field (apps[0].cpu), at the app", () => {
    const text = `${HEAD}  - name: a
    replicas: 1
    memory: 1GiB
`;
    const i = only(issuesOf(text));
    expect(i.where).toBe("t.yaml:10:5");
    expect(pointsAt(text, i.where)).toBe("name: a");
    expect(i.path).toBe("apps[0].cpu");
    expect(i.code).toBe("missing");
    expect(i.message).toMatch(/^expected a number .*, found nothing: the field is required$/);
  });

  it("missing top-level fields", () => {
    const issues = issuesOf("version: 1\nname: t\n");
    expect(issues.map((i) => i.path).sort()).toEqual(["apps", "hosts"]);
    for (const i of issues) {
      expect(i.where).toBe("t.yaml:1:1");
      expect(i.message).toMatch(/^expected a list .*, found nothing: the field is required$/);
    }
  });
});

describe("all errors of a file at once", () => {
  const file = join(FIXTURES, "four-errors.yaml");
  const text = readFileSync(file, "utf8");

  it("reports all four, each at its place", () => {
    const issues = issuesOfFile(file);
    expect(issues).toHaveLength(4);
    const byPath = new Map(issues.map((i) => [i.path, i]));
    expect(byPath.get("images.a.from")?.where).toBe(`${file}:9:14`);
    expect(byPath.get("images.a.from")?.message).toContain("a -> b -> a");
    expect(byPath.get("apps[0].replicas")?.where).toBe(`${file}:13:15`);
    expect(byPath.get("apps[0].replicas")?.message).toContain('found "ten"');
    expect(byPath.get("apps[0].image")?.where).toBe(`${file}:16:12`);
    expect(byPath.get("apps[0].image")?.message).toContain('found "nope"');
    expect(byPath.get("modes.vm.profile")?.where).toBe(`${file}:18:18`);
    expect(byPath.get("modes.vm.profile")?.message).toContain('found "vmware"');
    for (const i of issues) expect(pointsAt(text, i.where).length).toBeGreaterThan(0);
  });

  it("in file order, although schema and cross-field checks find them in another", () => {
    const lines = issuesOfFile(file).map((i) => Number(/:(\d+):\d+$/.exec(i.where)?.[1]));
    expect(lines).toEqual([9, 13, 16, 18]);
  });
});

describe("--set overrides", () => {
  it("a path that names no app: where is the --set", () => {
    const i = only(issuesOfFile(QUICKSTART, { sets: ["apps.nope.replicas=3"] }));
    expect(i.where).toBe("--set apps.nope.replicas=3");
    expect(i.code).toBe("set");
    expect(i.message).toContain('expected an index or the name of an item of apps, found "nope"');
  });

  it("an index out of range", () => {
    const i = only(issuesOfFile(QUICKSTART, { sets: ["apps.9.replicas=3"] }));
    expect(i.where).toBe("--set apps.9.replicas=3");
    expect(i.message).toContain("expected an index below 3");
  });

  it("without =", () => {
    const i = only(issuesOfFile(QUICKSTART, { sets: ["apps.orders.replicas"] }));
    expect(i.where).toBe("--set apps.orders.replicas");
    expect(i.message).toMatch(/^expected key=value/);
  });

  it("a field below a plain value", () => {
    const i = only(issuesOfFile(QUICKSTART, { sets: ["name.x=1"] }));
    expect(i.where).toBe("--set name.x=1");
    expect(i.message).toContain("expected name to be a mapping or list");
  });

  it("a value that makes a field invalid: where is the --set, path the field", () => {
    const i = only(issuesOfFile(QUICKSTART, { sets: ["apps.orders.memory=1Gb"] }));
    expect(i.where).toBe("--set apps.orders.memory=1Gb");
    expect(i.path).toBe("apps[0].memory");
    expect(i.message).toMatch(/^expected a size like/);
    expect(i.message).toContain('found "1Gb"');
  });

  it("a bad profile from --set", () => {
    const i = only(issuesOfFile(QUICKSTART, { sets: ["modes.vm.profile=vmware"] }));
    expect(i.where).toBe("--set modes.vm.profile=vmware");
    expect(i.path).toBe("modes.vm.profile");
  });

  it("a --set that breaks a cross-field check (duplicate name)", () => {
    const i = only(issuesOfFile(QUICKSTART, { sets: ["apps.catalog.name=orders"] }));
    expect(i.where).toBe("--set apps.catalog.name=orders");
    expect(i.path).toBe("apps[1].name");
    expect(i.message).toContain('found "orders" again');
  });

  it("a mapping set whole: issues inside it point at the --set", () => {
    const expr = "apps.orders={name: orders, replicas: 1, memory: 1Gb}";
    const issues = issuesOfFile(QUICKSTART, { sets: [expr] });
    expect(issues.map((i) => i.path).sort()).toEqual(["apps[0].cpu", "apps[0].memory"]);
    for (const i of issues) expect(i.where).toBe(`--set ${expr}`);
  });

  it("--seed and --replications are checked like --set", () => {
    const i = only(issuesOfFile(QUICKSTART, { seed: 1.5 }));
    expect(i.where).toBe("--set seed=1.5");
    expect(i.path).toBe("seed");
    expect(i.message).toMatch(/^expected an integer/);
    const r = only(issuesOfFile(QUICKSTART, { replications: 0 }));
    expect(r.where).toBe("--set replications=0");
    expect(r.message).toBe("expected a value >= 1, found 0");
  });

  it("an unknown field added by --set: where is the --set", () => {
    const i = only(issuesOfFile(QUICKSTART, { sets: ["apps.orders.replcas=1"] }));
    expect(i.path).toBe("apps[0].replcas");
    expect(i.message).toContain('did you mean "replicas"?');
    expect(i.where).toBe("--set apps.orders.replcas=1");
  });

  it("two --set of one field: the last one, which took effect, is blamed", () => {
    const i = only(issuesOfFile(QUICKSTART, { sets: ["apps.orders.replicas=5", "apps.orders.replicas=-1"] }));
    expect(i.message).toBe("expected a value >= 0, found -1");
    expect(i.where).toBe("--set apps.orders.replicas=-1");
  });

  it("a later --set can repair an earlier one", () => {
    const r = loadScenarioFile(QUICKSTART, { sets: ["apps.orders.replicas=-1", "apps.orders.replicas=5"] });
    expect(r.ok && r.scenario.apps[0]?.replicas).toBe(5);
  });
});

describe("JSON scenarios", () => {
  const file = join(FIXTURES, "bad-memory.json");
  const text = readFileSync(file, "utf8");

  it("have positions too, for bad values and unknown keys", () => {
    const issues = issuesOfFile(file);
    expect(issues).toHaveLength(2);
    const [memory, colour] = issues as [ScenarioIssue, ScenarioIssue];
    expect(memory.where).toBe(`${file}:8:57`);
    expect(pointsAt(text, memory.where)).toMatch(/^"1Gb"/);
    expect(memory.path).toBe("apps[0].memory");
    expect(memory.message).toContain('found "1Gb"');
    expect(colour.where).toBe(`${file}:9:69`);
    expect(pointsAt(text, colour.where)).toMatch(/^"colour"/);
    expect(colour.path).toBe("apps[1].colour");
    expect(colour.message).toContain('unknown field "colour"');
  });

  it("report JSON syntax errors with a position", () => {
    const i = issuesOf(`{\n  "version": 1,\n  "name": "j",\n  "hosts": [ }\n`, "s.json")[0] as ScenarioIssue;
    expect(i.code).toBe("syntax");
    expect(i.where).toBe("s.json:4:14");
    expect(i.message).toMatch(/^expected valid JSON\/YAML, found a syntax error: /);
  });
});

describe("a missing file", () => {
  it("is one issue naming the file", () => {
    const file = join(FIXTURES, "does-not-exist.yaml");
    const i = only(issuesOfFile(file));
    expect(i.where).toBe(`${file}:1:1`);
    expect(i.code).toBe("file");
    expect(i.message).toContain("no such file");
  });
});

describe("valid scenarios", () => {
  it.each([QUICKSTART, CONFLICTS])("%s loads", (file) => {
    const r = loadScenarioFile(file);
    if (!r.ok) throw new Error(r.issues.map((i) => `${i.where}: ${i.path}: ${i.message}`).join("\n"));
    expect(r.file).toBe(file);
    expect(r.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it("the init starter loads", () => {
    const r = loadScenarioText(STARTER, "scenario.yaml");
    if (!r.ok) throw new Error(r.issues.map((i) => `${i.where}: ${i.path}: ${i.message}`).join("\n"));
    expect(r.scenario.name).toBe("my-estate");
    expect(r.scenario.apps.map((a) => a.name)).toEqual(["web", "worker"]);
  });

  it("comes out in SI units", () => {
    const r = loadScenarioFile(QUICKSTART);
    if (!r.ok) throw new Error("quickstart did not load");
    const host = r.scenario.hosts[0];
    expect(host?.memory).toBe(274_877_906_944); // 256GiB
    expect(host?.reserved.memory).toBe(8 * 2 ** 30);
    expect(r.scenario.apps[0]?.memory).toBe(768 * 2 ** 20);
    expect(r.scenario.apps[2]?.memory).toBe(3 * 2 ** 30);
    expect(r.scenario.horizon).toBe(3600);
    expect(r.scenario.images["java17"]?.layers[1]?.size).toBe(140 * 2 ** 20);
  });

  it("fills defaults", () => {
    const r = loadScenarioText(`${HEAD}  - { name: a, replicas: 1, cpu: 1, memory: 1GiB }\n`, "t.yaml");
    if (!r.ok) throw new Error("did not load");
    expect(r.scenario.seed).toBe(1);
    expect(r.scenario.replications).toBe(5);
    expect(r.scenario.horizon).toBe(3600);
    expect(r.scenario.hosts[0]?.count).toBe(1);
    expect(r.scenario.apps[0]?.os).toBe("linux");
    expect(r.scenario.placement.policy).toBe("best-fit");
  });

  it("applies --set, --seed and --replications, and the hash follows the effective scenario", () => {
    const plain = loadScenarioFile(QUICKSTART);
    const again = loadScenarioFile(QUICKSTART);
    const set = loadScenarioFile(QUICKSTART, { sets: ["apps.orders.replicas=10", "modes.vm.guestOs.memory=1GiB"], seed: 9, replications: 2 });
    if (!plain.ok || !again.ok || !set.ok) throw new Error("did not load");
    expect(set.scenario.apps[0]?.replicas).toBe(10);
    expect(set.scenario.modes?.vm?.guestOs?.memory).toBe(2 ** 30);
    expect(set.scenario.seed).toBe(9);
    expect(set.scenario.replications).toBe(2);
    expect(again.hash).toBe(plain.hash);
    expect(set.hash).not.toBe(plain.hash);
  });
});
