/**
 * The JSON Schema that `densim schema` prints is generated from the loader's zod schema. No JSON
 * Schema validator is installed, so these tests assert its structure, and check the example
 * scenarios with a small validator for exactly the keywords the generated schema uses.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { STARTER } from "../../sim/cli/commands/init.js";
import { MODE_KINDS, profileNames } from "../../sim/model/profiles.js";
import { loadScenarioText, PLACEMENT_POLICIES, scenarioJsonSchema } from "../../sim/scenario/index.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SCENARIOS = join(ROOT, "scenarios");
const COMMITTED = join(ROOT, "schema", "scenario.schema.json");

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** A walk by keys, failing loudly on a wrong path. */
function at(value: unknown, ...path: string[]): Json {
  let node = value;
  for (const key of path) {
    if (!isObj(node) || !(key in node)) throw new Error(`no ${key} at ${path.join(".")}`);
    node = node[key];
  }
  if (!isObj(node)) throw new Error(`${path.join(".")} is not an object`);
  return node;
}

const KEYWORDS = new Set([
  "$schema",
  "title",
  "description",
  "default",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "minItems",
  "enum",
  "const",
  "anyOf",
  "oneOf",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "exclusiveMinimum",
]);

function typeOk(t: string, v: unknown): boolean {
  switch (t) {
    case "object":
      return isObj(v);
    case "array":
      return Array.isArray(v);
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "integer":
      return Number.isInteger(v);
    case "boolean":
      return typeof v === "boolean";
    case "null":
      return v === null;
    default:
      throw new Error(`unknown type ${t}`);
  }
}

/**
 * Errors of `value` against `schema`, for the keywords in KEYWORDS only; any other keyword
 * throws, so a schema that starts using one cannot pass unchecked.
 */
function validate(schema: unknown, value: unknown, path = "$"): string[] {
  if (schema === true || schema === undefined) return [];
  if (schema === false) return [`${path}: not allowed`];
  if (!isObj(schema)) throw new Error(`${path}: schema is not an object`);
  for (const k of Object.keys(schema)) if (!KEYWORDS.has(k)) throw new Error(`${path}: keyword ${k} is not handled`);
  const errors: string[] = [];
  const s = schema as {
    type?: string | string[];
    properties?: Record<string, unknown>;
    required?: string[];
    additionalProperties?: unknown;
    propertyNames?: unknown;
    items?: unknown;
    minItems?: number;
    enum?: unknown[];
    const?: unknown;
    anyOf?: unknown[];
    oneOf?: unknown[];
    pattern?: string;
    minLength?: number;
    maxLength?: number;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
  };
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeOk(t, value))) return [`${path}: expected ${types.join("|")}, found ${JSON.stringify(value)}`];
  }
  if ("const" in s && s.const !== value) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.includes(value)) errors.push(`${path}: expected one of ${JSON.stringify(s.enum)}, found ${JSON.stringify(value)}`);
  if (typeof value === "string") {
    if (s.pattern !== undefined && !new RegExp(s.pattern, "u").test(value)) errors.push(`${path}: does not match ${s.pattern}`);
    if (s.minLength !== undefined && value.length < s.minLength) errors.push(`${path}: too short`);
    if (s.maxLength !== undefined && value.length > s.maxLength) errors.push(`${path}: too long`);
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) errors.push(`${path}: below ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) errors.push(`${path}: above ${s.maximum}`);
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) errors.push(`${path}: not above ${s.exclusiveMinimum}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
    if (s.items !== undefined) value.forEach((v, i) => errors.push(...validate(s.items, v, `${path}[${i}]`)));
  }
  if (isObj(value)) {
    for (const r of s.required ?? []) if (!(r in value)) errors.push(`${path}: missing ${r}`);
    for (const [k, v] of Object.entries(value)) {
      if (s.propertyNames !== undefined) errors.push(...validate(s.propertyNames, k, `${path}.${k} (name)`));
      if (s.properties && k in s.properties) errors.push(...validate(s.properties[k], v, `${path}.${k}`));
      else if (s.additionalProperties !== undefined) errors.push(...validate(s.additionalProperties, v, `${path}.${k}`));
    }
  }
  if (s.anyOf && !s.anyOf.some((b) => validate(b, value, path).length === 0)) errors.push(`${path}: matches no anyOf branch`);
  if (s.oneOf) {
    const matching = s.oneOf.filter((b) => validate(b, value, path).length === 0).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} oneOf branches, expected exactly 1`);
  }
  return errors;
}

const schema = scenarioJsonSchema();
const scenarioFiles = readdirSync(SCENARIOS).filter((f) => /\.(ya?ml|json)$/.test(f));

describe("scenarioJsonSchema", () => {
  it("is a draft 2020-12 object schema with a title", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.type).toBe("object");
    expect(schema.title).toBe("densim scenario");
  });

  it("has the top-level fields, requires the essential ones, and allows no others", () => {
    const props = Object.keys(at(schema, "properties"));
    for (const p of ["version", "name", "hosts", "apps", "modes", "images", "placement", "seed", "horizon", "replications"]) {
      expect(props).toContain(p);
    }
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["version", "name", "hosts", "apps"]));
    expect(schema.required).not.toContain("modes");
    expect(at(schema, "properties", "version").const).toBe(1);
  });

  it("lists the profile names of each mode kind as an enum", () => {
    expect(at(schema, "properties", "modes", "properties", "vm", "properties", "profile").enum).toEqual([
      "kvm-qemu",
      "kubevirt",
      "vmware-linux",
      "hyperv-windows",
      "kvm-linux",
    ]);
    for (const kind of MODE_KINDS) {
      const profile = at(schema, "properties", "modes", "properties", kind, "properties", "profile");
      expect(profile.enum).toEqual([...profileNames(kind)]);
    }
    expect(at(schema, "properties", "modes", "properties", "container", "properties", "profile").enum).toContain("docker");
    expect(at(schema, "properties", "modes", "properties", "microvm", "properties", "profile").enum).toContain("firecracker");
  });

  it("takes modes under other names, each saying its kind", () => {
    const modes = at(schema, "properties", "modes");
    expect(Object.keys(at(modes, "properties"))).toEqual([...MODE_KINDS]);
    const branches = at(modes, "additionalProperties").oneOf as Json[];
    expect(branches.map((b) => at(b, "properties", "kind").const)).toEqual([...MODE_KINDS]);
    for (const b of branches) expect(b.required).toContain("kind");
  });

  it("describes apps: required fields, no others, unit fields as number or string with a hint", () => {
    const app = at(schema, "properties", "apps", "items");
    expect(app.additionalProperties).toBe(false);
    // replicas is required of services only, which the loader checks (a job has arrivals instead).
    expect(app.required).toEqual(expect.arrayContaining(["name", "cpu", "memory"]));
    const memory = at(app, "properties", "memory");
    expect(memory.type).toEqual(["number", "string"]);
    expect(memory.description).toMatch(/768MiB/);
    expect(at(app, "properties", "replicas").type).toBe("integer");
    expect(at(schema, "properties", "apps").minItems).toBe(1);
    expect(at(schema, "properties", "hosts").minItems).toBe(1);
  });

  it("has the same app fields the loader names for an unknown field", () => {
    const r = loadScenarioText(
      "version: 1\nname: t\nhosts: [ { type: h, cores: 1, memory: 1GiB } ]\napps: [ { name: a, replicas: 1, cpu: 1, memory: 1MiB, zzz: 1 } ]\n",
      "t.yaml",
    );
    if (r.ok) throw new Error("loaded");
    const listed = /\(one of: (.*)\), found/.exec(r.issues[0]?.message ?? "")?.[1]?.split(", ");
    expect(listed).toEqual(Object.keys(at(schema, "properties", "apps", "items", "properties")));
  });

  it("lists the placement policies", () => {
    expect(at(schema, "properties", "placement", "properties", "policy").enum).toEqual([...PLACEMENT_POLICIES]);
  });

  it("is plain JSON (a JSON round trip changes nothing)", () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});

describe("the schema and the scenarios", () => {
  it("there are example scenarios to check", () => {
    expect(scenarioFiles).toEqual(expect.arrayContaining(["quickstart.yaml", "runtime-conflicts.yaml"]));
  });

  it.each(scenarioFiles)("scenarios/%s validates against the JSON Schema", (file) => {
    const value: unknown = parseYaml(readFileSync(join(SCENARIOS, file), "utf8"));
    expect(validate(schema, value)).toEqual([]);
  });

  it("the init starter validates against the JSON Schema", () => {
    expect(validate(schema, parseYaml(STARTER))).toEqual([]);
  });

  it("the JSON Schema rejects what the loader rejects for shape: unknown fields, wrong types, unknown profiles", () => {
    const value = parseYaml(readFileSync(join(ROOT, "test", "fixtures", "invalid", "four-errors.yaml"), "utf8")) as Json;
    const errors = validate(schema, value);
    expect(errors.some((e) => e.startsWith("$.apps[0].replicas"))).toBe(true);
    expect(errors.some((e) => e.startsWith("$.modes"))).toBe(true);
    const extra = { ...(parseYaml(STARTER) as Json), colour: "red" };
    expect(validate(schema, extra)).toEqual(["$.colour: not allowed"]);
  });
});

describe("schema/scenario.schema.json", () => {
  it("is the generated schema, byte for byte (regenerate: node dist/bin/densim.js schema > schema/scenario.schema.json)", () => {
    const committed = readFileSync(COMMITTED, "utf8");
    expect(committed).toBe(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  });

  it("is where the example scenarios' yaml-language-server comment points", () => {
    for (const file of scenarioFiles.filter((f) => /\.ya?ml$/.test(f))) {
      const first = readFileSync(join(SCENARIOS, file), "utf8").split("\n")[0];
      expect(first, file).toBe("# yaml-language-server: $schema=../schema/scenario.schema.json");
    }
  });
});
