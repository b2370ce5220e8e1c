/**
 * The browser bundles of Vega, Vega-Lite and vega-embed, read from node_modules at run time so
 * report.html can inline them (it must open from disk with no network), and the licence texts of
 * the packages they are built from, which the report carries (all BSD-3-Clause, ISC or MIT:
 * redistribution allowed with the notice kept).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

export interface VendorScript {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  /** The minified UMD build, without its source-map comment, safe inside `<script>`. */
  readonly code: string;
}

export interface LicenceNotice {
  /** `name version` of every package with this exact licence text, sorted. */
  readonly packages: readonly string[];
  readonly license: string;
  readonly text: string;
}

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly license?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
}

/** The browser builds, in load order (vega-lite needs vega; vega-embed needs both). */
const BUNDLES: readonly { readonly name: string; readonly entry: string; readonly file: string }[] = [
  { name: "vega", entry: "vega/build/vega.min.js", file: "vega.min.js" },
  { name: "vega-lite", entry: "vega-lite/build/vega-lite.min.js", file: "vega-lite.min.js" },
  // vega-embed's exports map hides the build folder: resolve its entry and read the sibling.
  { name: "vega-embed", entry: "vega-embed", file: "vega-embed.min.js" },
];

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
}

/** The folder of the package `name` that holds `file`: the nearest ancestor whose package.json names it. */
function packageDirOf(file: string, name: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && readPackage(dir).name === name) return dir;
  }
  throw new Error(`vendor: no package.json of ${name} above ${file}`);
}

/** Node's lookup of a dependency from a package folder: its own node_modules, then each ancestor's. */
function dependencyDir(from: string, name: string): string | undefined {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
  }
  return undefined;
}

/** A script's text made safe inside an HTML `<script>` element. */
function inlineSafe(code: string, name: string): string {
  const body = code.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, "\n").replace(/<\/(script)/gi, "<\\/$1");
  if (/<!--/.test(body)) throw new Error(`vendor: ${name} contains "<!--", which cannot be inlined in a script element`);
  return body;
}

let scripts: readonly VendorScript[] | undefined;

/** The three bundles (read once per process). */
export function vendorScripts(): readonly VendorScript[] {
  scripts ??= BUNDLES.map((b) => {
    const resolved = require.resolve(b.entry);
    const dir = packageDirOf(resolved, b.name);
    const pkg = readPackage(dir);
    const code = readFileSync(join(dirname(resolved), b.file), "utf8");
    return { name: b.name, version: pkg.version, license: pkg.license ?? "", code: inlineSafe(code, b.name) };
  });
  return scripts;
}

let notices: readonly LicenceNotice[] | undefined;

/**
 * The licence texts of the bundled packages and everything they depend on (some of those serve
 * only under Node; listing them too errs on the safe side), grouped by identical text, in a fixed
 * order. A package without a licence file is listed under its package.json `license` alone.
 */
export function licenceNotices(): readonly LicenceNotice[] {
  if (notices) return notices;
  const seen = new Map<string, { pkg: PackageJson; text: string }>();
  const visit = (dir: string): void => {
    const pkg = readPackage(dir);
    const key = `${pkg.name}@${pkg.version}`;
    if (seen.has(key)) return;
    const file = readdirSync(dir)
      .filter((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f))
      .sort()[0];
    seen.set(key, { pkg, text: file ? readFileSync(join(dir, file), "utf8").replace(/\r\n?/g, "\n").trim() : "" });
    for (const dep of Object.keys(pkg.dependencies ?? {}).sort()) {
      const depDir = dependencyDir(dir, dep);
      if (depDir) visit(depDir);
    }
  };
  for (const b of BUNDLES) visit(packageDirOf(require.resolve(b.entry), b.name));
  const groups = new Map<string, { packages: string[]; license: string; text: string }>();
  for (const key of [...seen.keys()].sort()) {
    const { pkg, text } = seen.get(key) as { pkg: PackageJson; text: string };
    const license = pkg.license ?? "";
    const group = groups.get(`${license}\n${text}`) ?? { packages: [], license, text };
    group.packages.push(`${pkg.name} ${pkg.version}`);
    groups.set(`${license}\n${text}`, group);
  }
  notices = [...groups.values()];
  return notices;
}
