/**
 * The explorer's HTTP server (node:http, 127.0.0.1 only). Routes: `GET /` (the page),
 * `POST /api/run` (tables and charts for a set of values), `POST /api/results.json` (the
 * results.json bytes `densim run --set` would write), `POST /api/save` (writes report.html and
 * results.json to <out>/<name>@<hash>/). Anything else is 404; no file is read from a URL.
 *
 * Guards: the Host header must name this server (127.0.0.1 or localhost with its port), else 403,
 * so a page of another site cannot reach it through DNS rebinding; a POST must be JSON from this
 * origin; bodies are capped; a client that goes away mid-run costs nothing but the run.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { UsageError } from "../io.js";
import { checkReportFolder, writeReport } from "../report-files.js";
import { chooseFolderName } from "../report-names.js";
import { setsFor, type ExploreParam } from "./params.js";
import { SUPERSEDED, type ExploreRunner } from "./runner.js";

/** Largest request body accepted: a few hundred parameter values fit many times over. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface ExploreServerOptions {
  readonly file: string;
  readonly params: readonly ExploreParam[];
  readonly page: string;
  readonly runner: ExploreRunner;
  readonly out: string;
  readonly port: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  // Vega compiles its expressions with Function(): 'unsafe-eval'. Nothing may be fetched from elsewhere.
  "Content-Security-Policy":
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  if (res.destroyed || res.writableEnded) return; // the client left: nothing to answer
  res.writeHead(status, { ...SECURITY_HEADERS, "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown): void => send(res, status, "application/json; charset=utf-8", JSON.stringify(value));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (declared > MAX_BODY_BYTES) return reject(new HttpError(413, `expected a request body of at most ${MAX_BODY_BYTES} bytes, found ${declared}`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `expected a request body of at most ${MAX_BODY_BYTES} bytes, found more`));
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

interface Request {
  readonly sets: string[];
  readonly quick: boolean;
}

/** A POST body `{ values: { path: value }, quick?: boolean }`, checked against the parameters. */
function parseRequest(text: string, params: readonly ExploreParam[]): Request {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, "expected a JSON body like {\"values\": {\"apps.orders.replicas\": 80}}, found text that is not JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new HttpError(400, "expected a JSON object with a values field");
  const { values = {}, quick = false } = body as { values?: unknown; quick?: unknown };
  if (typeof quick !== "boolean") throw new HttpError(400, `quick: expected true or false, found ${JSON.stringify(quick)}`);
  const r = setsFor(params, values);
  if (!r.ok) throw Object.assign(new HttpError(400, `${r.problems.length} bad parameter value${r.problems.length === 1 ? "" : "s"}; nothing was run`), { issues: r.problems });
  return { sets: r.sets, quick };
}

/** `densim run <file> --set a=1 --set b=2`, quoted for a POSIX shell where needed. */
function commandLine(file: string, sets: readonly string[]): string {
  const q = (s: string): string => (/^[A-Za-z0-9_./@=:%+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  return ["densim run", q(file), ...sets.map((s) => `--set ${q(s)}`)].join(" ");
}

export async function startExploreServer(o: ExploreServerOptions): Promise<RunningServer> {
  let allowedHosts = new Set<string>();
  let origins = new Set<string>();

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? "";
    if (!allowedHosts.has(host.toLowerCase()))
      throw new HttpError(403, `expected a Host header of ${[...allowedHosts].join(" or ")}, found ${JSON.stringify(host.slice(0, 100))}: densim explore answers only its own address (DNS rebinding guard)`);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    if (path === "/" || path === "/index.html") {
      if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(405, `expected GET for ${path}, found ${req.method ?? ""}`);
      return send(res, 200, "text/html; charset=utf-8", o.page);
    }
    const api = ["/api/run", "/api/results.json", "/api/save"];
    if (!api.includes(path)) throw new HttpError(404, `expected one of /, ${api.join(", ")}, found ${JSON.stringify(path.slice(0, 100))}`);
    if (req.method !== "POST") throw new HttpError(405, `expected POST for ${path}, found ${req.method ?? ""}`);
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) throw new HttpError(403, `expected no Origin or ${[...origins].join(" or ")}, found ${JSON.stringify(origin.slice(0, 100))}`);
    if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) throw new HttpError(415, `expected Content-Type: application/json, found ${JSON.stringify(req.headers["content-type"] ?? "none")}`);
    const request = parseRequest(await readBody(req), o.params);

    if (path === "/api/save") {
      const reply = await o.runner.save(request.sets);
      if (!reply.ok) return sendJson(res, 400, reply);
      if (reply.kind !== "save") throw new Error("explore: a save answered with a run");
      const dir = join(o.out, chooseFolderName(reply.name, { variant: request.sets.length > 0, hash: reply.hash, modes: [] }));
      try {
        checkReportFolder(dir, {});
        await writeReport(dir, reply.files, { command: "explore" });
      } catch (e) {
        if (e instanceof UsageError) return sendJson(res, 409, { ok: false, message: e.message, issues: e.issues.map((i) => `${i.where}: ${i.path}: ${i.message}`) });
        throw e;
      }
      return sendJson(res, 200, { ok: true, path: join(dir, "report.html"), files: reply.files.map(([n]) => n) });
    }

    const quick = path === "/api/run" && request.quick;
    const reply = await o.runner.run(request.sets, quick);
    if (reply === SUPERSEDED) return sendJson(res, 200, { ok: false, superseded: true, message: "a newer run replaced this one" });
    if (!reply.ok) return sendJson(res, 400, reply);
    if (reply.kind !== "run") throw new Error("explore: a run answered with a save");
    if (path === "/api/results.json") return send(res, 200, "application/json; charset=utf-8", reply.json);
    const { json: _json, ...shown } = reply;
    return sendJson(res, 200, { ...shown, quick, sets: request.sets, command: commandLine(o.file, request.sets) });
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) {
        const issues = (e as HttpError & { issues?: string[] }).issues ?? [];
        if (e.status === 413) {
          // The rest of the body is not read: answer, then close the connection.
          res.setHeader("Connection", "close");
          res.once("finish", () => req.destroy());
        }
        sendJson(res, e.status, { ok: false, message: e.message, issues });
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`densim explore: failed while answering ${req.method ?? ""} ${(req.url ?? "").slice(0, 100)}: ${message}\n`);
      sendJson(res, 500, { ok: false, message: `failed while running: ${message}`, issues: [] });
    });
  });
  server.requestTimeout = 120_000;
  server.headersTimeout = 20_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "EADDRINUSE" ? new UsageError(`--port: expected a free port (or --port 0 for any free one), found ${o.port} in use`) : e.code === "EACCES" ? new UsageError(`--port: expected a port this user may listen on (above 1023, or --port 0), found ${o.port}`) : e),
    );
    server.listen(o.port, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  origins = new Set([...allowedHosts].map((h) => `http://${h}`));
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
