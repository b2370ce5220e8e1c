/**
 * `densim explore` end to end: the built CLI serves quickstart on a free port, and node:http
 * requests check that its results are `densim run --set`'s bytes, that bad input gets a 4xx with a
 * clear message while the server keeps serving, and that Ctrl-C stops it with exit 130.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { densimHere, ensureBuilt, MAIN, ROOT } from "../helpers/cli.js";

const SCENARIO = "scenarios/quickstart.yaml";

const made: string[] = [];
const freshDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "densim-explore-"));
  made.push(d);
  return d;
};

interface Answer {
  status: number;
  body: string;
}

function http(port: number, path: string, o: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: o.method ?? "GET", headers: o.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}

const post = (port: number, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
  http(port, path, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "Content-Type": "application/json", ...headers } });

interface Served {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  exited: Promise<number | null>;
}

function serve(scenario: string, out: string): Promise<Served> {
  const child = spawn(process.execPath, [MAIN, "explore", scenario, "--port", "0", "--out", out], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr?.on("data", (c: Buffer) => (err += c.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (c: Buffer) => {
      text += c.toString("utf8");
      const m = /open http:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
      if (m) resolve({ child, port: Number(m[1]), stderr: () => err, exited });
    });
    child.on("exit", (code) => reject(new Error(`explore exited ${String(code)}: ${text}${err}`)));
  });
}

let s: Served;
let out = "";

beforeAll(async () => {
  ensureBuilt();
  out = freshDir();
  s = await serve(SCENARIO, out);
});

afterAll(async () => {
  s.child.kill("SIGKILL");
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe("densim explore server", () => {
  it("serves the page, with the parameters and Vega inlined", async () => {
    const r = await http(s.port, "/");
    expect(r.status).toBe(200);
    expect(r.body).toContain('"path":"apps.orders.replicas"');
    expect(r.body).toContain("vegaEmbed");
    expect(r.body).not.toMatch(/<script[^>]+src=/);
  });

  it("gives results.json byte for byte as densim run --set does", async () => {
    const r = await post(s.port, "/api/results.json", { values: { "apps.orders.replicas": 80, "modes.vm.guestOs.memory": 1024 } });
    expect(r.status).toBe(200);
    const cliOut = freshDir();
    const cli = await densimHere(["run", SCENARIO, "--set", "apps.orders.replicas=80", "--set", "modes.vm.guestOs.memory=1024MiB", "--format", "json", "--quiet", "--out", cliOut], { cwd: ROOT });
    expect(cli.status, cli.stderr).toBe(0);
    const folder = readdirSync(cliOut).find((d) => d.startsWith("quickstart@")) as string;
    expect(r.body).toBe(readFileSync(join(cliOut, folder, "results.json"), "utf8"));
    expect(JSON.parse(r.body).scenario.overrides).toEqual(["apps.orders.replicas=80", "modes.vm.guestOs.memory=1024MiB"]);
  });

  it("a value equal to the scenario's own is no override: the run is densim run's", async () => {
    const r = await post(s.port, "/api/run", { values: { "apps.orders.replicas": 60 }, quick: true });
    expect(r.status).toBe(200);
    const a = JSON.parse(r.body);
    expect(a.ok).toBe(true);
    expect(a.sets).toEqual([]);
    expect(a.command).toBe("densim run scenarios/quickstart.yaml");
    expect(a.subtitle).toContain("1 replication ");
    expect(a.comparisonHtml).toContain("<table");
    expect(a.charts.length).toBeGreaterThan(3);
  });

  it("refuses bad input with a 4xx and a clear message, and keeps serving", async () => {
    const unknown = await post(s.port, "/api/run", { values: { "apps.nope.replicas": 10 } });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body).issues[0]).toMatch(/"apps\.nope\.replicas": expected one of the explorer's parameters .*found no parameter of that path/);

    const range = await post(s.port, "/api/run", { values: { "apps.orders.replicas": 5000 } });
    expect(range.status).toBe(400);
    expect(JSON.parse(range.body).issues).toEqual(["apps.orders.replicas: expected a number from 0 to 180, found 5000"]);

    const word = await post(s.port, "/api/run", { values: { "apps.orders.replicas": "lots" } });
    expect(word.status).toBe(400);
    expect(JSON.parse(word.body).issues).toEqual(['apps.orders.replicas: expected a number from 0 to 180, found "lots"']);

    const choice = await post(s.port, "/api/run", { values: { "modes.container.cache": "tepid" } });
    expect(choice.status).toBe(400);
    expect(JSON.parse(choice.body).issues).toEqual(['modes.container.cache: expected one of cold, warm, found "tepid"']);

    const notJson = await post(s.port, "/api/run", "{values:");
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).message).toMatch(/expected a JSON body/);

    const host = await http(s.port, "/", { headers: { Host: "evil.example:80" } });
    expect(host.status).toBe(403);
    expect(JSON.parse(host.body).message).toMatch(/expected a Host header of 127\.0\.0\.1:\d+ or localhost:\d+, found "evil\.example:80"/);
    const rebound = await post(s.port, "/api/run", { values: {} }, { Host: `attacker.example:${s.port}` });
    expect(rebound.status).toBe(403);

    const origin = await post(s.port, "/api/run", { values: {} }, { Origin: "http://evil.example" });
    expect(origin.status).toBe(403);
    const form = await http(s.port, "/api/run", { method: "POST", body: "values=1", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);

    for (const path of ["/etc/passwd", "/../package.json", "/sim/", "/scenarios/", "/api/"]) expect((await http(s.port, path)).status, path).toBe(404);
    expect((await http(s.port, "/api/run")).status).toBe(405);

    const big = await post(s.port, "/api/run", { values: {}, padding: "x".repeat(100_000) }).catch(() => ({ status: 413, body: "" }));
    expect(big.status).toBe(413);

    // Still serving, and still right.
    expect((await http(s.port, "/")).status).toBe(200);
    const ok = await post(s.port, "/api/run", { values: { "apps.orders.replicas": 70 }, quick: true });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).sets).toEqual(["apps.orders.replicas=70"]);
  });

  it("survives a client that leaves mid-run, and a newer run supersedes an older one", async () => {
    await new Promise<void>((resolve) => {
      const req = request({ host: "127.0.0.1", port: s.port, path: "/api/run", method: "POST", headers: { "Content-Type": "application/json" } });
      req.on("error", () => resolve());
      req.end(JSON.stringify({ values: { "apps.orders.replicas": 90 } }), () => setTimeout(() => {
        req.destroy();
        resolve();
      }, 50));
    });
    const [first, second] = await Promise.all([
      post(s.port, "/api/run", { values: { "apps.orders.replicas": 100 } }),
      new Promise<Answer>((r) => setTimeout(() => r(post(s.port, "/api/run", { values: { "apps.orders.replicas": 110 }, quick: true })), 100)),
    ]);
    expect(JSON.parse(first.body).superseded).toBe(true);
    expect(JSON.parse(second.body).sets).toEqual(["apps.orders.replicas=110"]);
  });

  it("saves the current view as a report folder <out>/<name>@<hash>/", async () => {
    const r = await post(s.port, "/api/save", { values: { "apps.orders.replicas": 80 } });
    expect(r.status).toBe(200);
    const a = JSON.parse(r.body);
    expect(a.ok).toBe(true);
    expect(a.path).toMatch(/quickstart@[0-9a-f]+\/report\.html$/);
    const html = readFileSync(a.path, "utf8");
    expect(html).toContain("apps.orders.replicas=80");
    expect(readdirSync(dirname(a.path)).sort()).toEqual([".densim-manifest.json", "report.html", "results.json"]);
  });

  it("stops on Ctrl-C with exit 130", async () => {
    const other = await serve(SCENARIO, freshDir());
    other.child.kill("SIGINT");
    expect(await other.exited).toBe(130);
    expect(other.stderr()).toContain("stopped (SIGINT)");
  });
});

describe("densim explore: the scenario's explore section", () => {
  const base = readFileSync(join(ROOT, SCENARIO), "utf8");

  it("a parameter path that does not exist is an error at its line, exit 2, nothing served", async () => {
    const dir = freshDir();
    const file = join(dir, "bad.yaml");
    writeFileSync(file, `${base}\nexplore:\n  params:\n    - { path: apps.orders.replicas, min: 10, max: 100, step: 10 }\n    - { path: apps.nope.replicas, min: 1, max: 5 }\n`);
    // In-process: the scenario is refused before a server starts.
    const r = await densimHere(["explore", file, "--port", "0"], { cwd: dir });
    expect(r.status).toBe(2);
    const line = base.split("\n").length + 4;
    expect(r.stderr).toContain(`${file}:${line}:`);
    expect(r.stderr).toMatch(/explore\.params\[1\]: expected a value --set apps\.nope\.replicas=1 accepts, found: .*apps\.nope/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("a slider without min and max, or with min above max, is a schema error", async () => {
    const dir = freshDir();
    const file = join(dir, "bad.yaml");
    writeFileSync(file, `${base}\nexplore:\n  params:\n    - { path: apps.orders.replicas, min: 100, max: 10 }\n    - { path: apps.catalog.replicas }\n`);
    const r = await densimHere(["validate", file], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("expected min <= max");
    expect(r.stderr).toContain("expected either values (a choice) or min and max (a slider)");
  });

  it("declared parameters replace the defaults, with units", async () => {
    const dir = freshDir();
    const file = join(dir, "declared.yaml");
    writeFileSync(
      file,
      `${base.replace(/\.\.\/schema/, "schema")}\nexplore:\n  params:\n    - { path: apps.orders.replicas, min: 10, max: 200, step: 10, label: "Orders replicas" }\n    - { path: modes.vm.guestOs.memory, min: 256, max: 2048, step: 256, unit: MiB }\n    - { path: modes.container.cache, values: [cold, warm] }\n`,
    );
    const own = await serve(file, freshDir());
    try {
      const page = await http(own.port, "/");
      expect(page.body).toContain("Orders replicas");
      expect(page.body).not.toContain('"path":"registry.bandwidth"');
      const r = await post(own.port, "/api/run", { values: { "modes.vm.guestOs.memory": 768, "modes.container.cache": "warm" }, quick: true });
      expect(JSON.parse(r.body).sets).toEqual(["modes.vm.guestOs.memory=768MiB", "modes.container.cache=warm"]);
      const bad = await post(own.port, "/api/run", { values: { "hosts.0.count": 3 } });
      expect(bad.status).toBe(400);
    } finally {
      own.child.kill("SIGKILL");
    }
  });
});
