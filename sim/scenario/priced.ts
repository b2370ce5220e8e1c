/**
 * Whether a scenario prices anything. Cost comes only from what the scenario gives: a host cost
 * (`hosts[].cost`), licence rules (`licenses`) or a patching rate (`operations`). With none of
 * them every cost figure is $0 because nothing was priced, not because running is free, so
 * `sweep` refuses cost metrics and `plan` ranks by hosts and says so instead of printing $0.
 */
import type { Scenario } from "./schema.js";

/** The fields that put a price on a run, for messages. */
export const PRICE_FIELDS = "hosts[].cost, licenses or operations";

export function pricesAnything(s: Pick<Scenario, "hosts" | "licenses" | "operations">): boolean {
  return s.hosts.some((h) => h.cost !== undefined) || s.licenses.length > 0 || s.operations !== undefined;
}
