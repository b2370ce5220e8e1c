/**
 * Reads the scenario schema at a path, to tell the user what a field expects (its description,
 * the allowed keys of a mapping). Uses zod 4's public `_zod.def` structure.
 */
import type { z } from "zod";
import type { IssuePath } from "./issues.js";

type AnySchema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  catchall?: AnySchema;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  discriminator?: string;
  values?: unknown[];
}

const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strips optional/default/pipe wrappers down to the schema that describes the input. */
export function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  for (let i = 0; i < 16; i++) {
    const d = defOf(cur);
    if (d.innerType && ["optional", "default", "nullable", "prefault", "readonly", "catch", "nonoptional"].includes(d.type))
      cur = d.innerType;
    else if (d.type === "pipe" && d.in) cur = d.in;
    else break;
  }
  return cur;
}

/** The schema of `seg` inside `parent`, given the raw value of the parent (to pick union branches). */
function child(parent: AnySchema, seg: string | number, parentValue: unknown): AnySchema | undefined {
  const s = pickBranch(unwrap(parent), parentValue);
  const d = defOf(s);
  // Own keys only: a field named `constructor` is not the shape's prototype's constructor.
  if (d.type === "object")
    return (d.shape && Object.hasOwn(d.shape, String(seg)) ? d.shape[String(seg)] : undefined) ?? (d.catchall && defOf(d.catchall).type !== "never" ? d.catchall : undefined);
  if (d.type === "array") return d.element;
  if (d.type === "record") return d.valueType;
  return undefined;
}

/** For a discriminated union, the branch whose discriminator matches the value. */
function pickBranch(s: AnySchema, value: unknown): AnySchema {
  const d = defOf(s);
  if (d.type !== "union" || !d.options) return s;
  const options = d.options.map(unwrap);
  if (d.discriminator && value && typeof value === "object") {
    const tag = Object.hasOwn(value, d.discriminator) ? (value as Record<string, unknown>)[d.discriminator] : undefined;
    for (const o of options) {
      const shape = defOf(o).shape;
      const lit = defOf(unwrap((shape && Object.hasOwn(shape, d.discriminator) ? shape[d.discriminator] : undefined) ?? o));
      if (lit.values?.includes(tag)) return o;
    }
  }
  if (value && typeof value === "object") {
    for (const o of options) {
      const picked = defOf(o).type === "union" ? pickBranch(o, value) : o;
      if (defOf(picked).type === "object") return picked;
    }
  }
  return s;
}

export function schemaAt(root: AnySchema, path: IssuePath, rootValue: unknown): AnySchema | undefined {
  let s: AnySchema | undefined = root;
  let v: unknown = rootValue;
  for (const seg of path) {
    if (!s) return undefined;
    s = child(s, seg, v);
    v = v && typeof v === "object" && Object.hasOwn(v, seg) ? (v as Record<string | number, unknown>)[seg] : undefined;
  }
  // Keep wrappers (they carry descriptions) unless a union branch must be picked for a mapping.
  return s && (v && typeof v === "object" ? pickBranch(unwrap(s), v) : s);
}

/** The keys a mapping accepts, or undefined when it accepts any. */
export function allowedKeys(s: AnySchema | undefined): string[] | undefined {
  if (!s) return undefined;
  const d = defOf(unwrap(s));
  if (d.type !== "object" || !d.shape) return undefined;
  return Object.keys(d.shape);
}

/** The description given in the schema, looking through wrappers. */
export function descriptionOf(s: AnySchema | undefined): string | undefined {
  let cur: AnySchema | undefined = s;
  for (let i = 0; cur && i < 16; i++) {
    const desc = (cur as unknown as { description?: string }).description;
    if (desc) return desc;
    const d = defOf(cur);
    cur = d.innerType ?? (d.type === "pipe" ? d.in : undefined);
  }
  return undefined;
}
