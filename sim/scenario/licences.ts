/** A scenario's licence entry as the cost layer's spec: a preset with overrides, or a full rule. */
import type { LicenceRule, LicenceSpec, PresetRef } from "../cost/index.js";
import type { Scenario } from "./schema.js";

type LicenceEntry = Scenario["licenses"][number];

export function toLicenceSpec(l: LicenceEntry, amortizeMonths: number): LicenceSpec {
  const common = {
    ...(l.name !== undefined ? { name: l.name } : {}),
    ...(l.price !== undefined ? { price: l.price } : {}),
    ...(l.billing !== undefined ? { billing: l.billing } : {}),
    amortizeMonths: l.amortizeMonths ?? amortizeMonths,
    ...(l.os !== undefined ? { os: l.os } : {}),
    ...(l.modes !== undefined ? { modes: l.modes } : {}),
    ...(l.kinds !== undefined ? { kinds: l.kinds } : {}),
    ...(l.allowance !== undefined ? { allowance: l.allowance } : {}),
    ...(l.covers !== undefined ? { covers: l.covers } : {}),
    ...(l.minCoresPerSocket !== undefined ? { minCoresPerSocket: l.minCoresPerSocket } : {}),
    ...(l.apps !== undefined ? { apps: l.apps } : {}),
    ...(l.minCores !== undefined ? { minCores: l.minCores } : {}),
    ...(l.edition !== undefined ? { edition: l.edition } : {}),
    ...(l.coverage !== undefined ? { coverage: l.coverage } : {}),
  };
  if (l.preset !== undefined) return { preset: l.preset, ...common } as PresetRef;
  // A rule written out in full: the loader has checked kind and price are there.
  return { name: l.kind ?? "licence", billing: "perpetual", ...common, kind: l.kind, price: l.price } as LicenceRule;
}
