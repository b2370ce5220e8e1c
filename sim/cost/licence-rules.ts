/**
 * Licence rules and their arithmetic: each rule, filtered by OS family and mode, prices the OS
 * instances and hosts one mode's run used, in USD per month with the sum written out.
 */
import type { ModeKind, OsFamily } from "../model/profiles.js";
import type { Billing } from "./billing.js";
import { BILLINGS, DEFAULT_AMORTIZE_MONTHS, billingText, monthly, usd } from "./billing.js";
import type { HostUsage, ModeRef, RuleCost } from "./types.js";

/** Which OS instances a rule licenses: the guests, the host OS, or both. */
export type Covers = "guests" | "hosts" | "both";

export const LICENCE_KINDS = [
  "per-os-instance",
  "per-core-stacking",
  "per-core-unlimited",
  "per-socket-pair",
  "per-core-subscription",
  "per-node",
  "sql-server-per-core",
] as const;
export type LicenceKind = (typeof LICENCE_KINDS)[number];

interface RuleCommon {
  readonly name: string;
  /**
   * OS family of the instances the rule covers (guest or host OS); absent: both families.
   * Host-scoped kinds (per-core-subscription, per-node) match it against the host OS.
   */
  readonly os?: OsFamily;
  /** Mode names the rule applies to; absent: every mode. */
  readonly modes?: readonly string[];
  /** Mode kinds the rule applies to; absent: every kind (vSphere only runs in `vm` modes). */
  readonly kinds?: readonly ModeKind[];
  /** USD per the kind's unit (see each kind), per `billing`. */
  readonly price: number;
  readonly billing: Billing;
  /** Months a perpetual licence is spread over; default 36. */
  readonly amortizeMonths?: number;
}

/** `price` per OS instance. */
export interface PerOsInstanceRule extends RuleCommon {
  readonly kind: "per-os-instance";
  /** Default `both`. */
  readonly covers?: Covers;
}

/**
 * Windows Server Standard: every licensing covers all of a host's cores and `allowance` OS
 * instances; stacked, ceil(guests / allowance) per host. `price` per 16 cores (winsrv list unit).
 */
export interface PerCoreStackingRule extends RuleCommon {
  readonly kind: "per-core-stacking";
  readonly allowance: number;
}

/** Windows Server Datacenter: all cores once, unlimited OS instances. `price` per 16 cores. */
export interface PerCoreUnlimitedRule extends RuleCommon {
  readonly kind: "per-core-unlimited";
}

/**
 * RHEL: a subscription covers one socket pair and `allowance` guests, stacked per socket pair;
 * the host OS takes one per socket pair. `price` per subscription.
 */
export interface PerSocketPairRule extends RuleCommon {
  readonly kind: "per-socket-pair";
  readonly allowance: number | "unlimited";
  /** Default `both`. */
  readonly covers?: Covers;
}

/** vSphere / VCF: every core of every host, at least `minCoresPerSocket` per CPU. `price` per core. */
export interface PerCoreSubscriptionRule extends RuleCommon {
  readonly kind: "per-core-subscription";
  /** Default 16 (vmware). */
  readonly minCoresPerSocket?: number;
}

/** A platform subscription per host (node). `price` per host. */
export interface PerNodeRule extends RuleCommon {
  readonly kind: "per-node";
}

/**
 * SQL Server per core (sqlserver): `price` per 2-core pack. `instances`: every VM or container
 * running one of `apps` licenses its virtual cores, at least `minCores` (4) each; apps in the
 * host's own OS (bare) license the host's physical cores once, at least `minCores` per CPU.
 * `host-cores` (Enterprise only): all physical cores of every host running them, once, covering
 * unlimited VMs and containers — only with Software Assurance or a subscription (sqlserver).
 */
export interface SqlServerRule extends RuleCommon {
  readonly kind: "sql-server-per-core";
  /** The apps that run SQL Server: their instances' cores are licensed. */
  readonly apps: readonly string[];
  readonly edition: "standard" | "enterprise";
  /** Default `instances`. */
  readonly coverage?: "instances" | "host-cores";
  /** Default 4. */
  readonly minCores?: number;
}

export type LicenceRule =
  | SqlServerRule
  | PerOsInstanceRule
  | PerCoreStackingRule
  | PerCoreUnlimitedRule
  | PerSocketPairRule
  | PerCoreSubscriptionRule
  | PerNodeRule;

/** winsrv: Windows Server licenses at least 8 cores per CPU and 16 per server, in 2-core packs. */
export const WINDOWS_MIN_CORES_PER_SOCKET = 8;
export const WINDOWS_MIN_CORES_PER_HOST = 16;
export const WINDOWS_PACK_CORES = 2;
/** winsrv: list prices are quoted for 16 cores; `price` of the per-core Windows kinds is per 16. */
export const WINDOWS_PRICE_CORES = 16;
/** sqlserver: SQL Server is sold in 2-core packs, at least 4 cores per VM, container or physical CPU. */
export const SQL_PACK_CORES = 2;
export const SQL_MIN_CORES = 4;

/** Cores one SQL Server licensing covers: `cores` rounded up to whole 2-core packs, at least `min`. */
export function sqlLicensedCores(cores: number, min = SQL_MIN_CORES): number {
  return Math.max(Math.ceil(Math.ceil(cores - 1e-9) / SQL_PACK_CORES) * SQL_PACK_CORES, min);
}

/** Physical cores a SQL Server licensing of a whole host covers: all of them in packs, at least `min` per CPU. */
export function sqlHostCores(cores: number, sockets: number, min = SQL_MIN_CORES): number {
  return Math.max(sqlLicensedCores(cores, 0), min * sockets);
}

/** vmware: per-core subscriptions bill at least 16 cores per CPU. */
export const DEFAULT_MIN_CORES_PER_SOCKET = 16;

/**
 * Cores a Windows Server licensing covers: all physical cores rounded up to whole 2-core packs,
 * at least 8 per socket and 16 per host (winsrv). Cores are assumed evenly split across sockets.
 */
export function windowsLicensedCores(cores: number, sockets: number): number {
  const packs = Math.ceil(Math.ceil(cores) / WINDOWS_PACK_CORES) * WINDOWS_PACK_CORES;
  return Math.max(packs, WINDOWS_MIN_CORES_PER_SOCKET * sockets, WINDOWS_MIN_CORES_PER_HOST);
}

/** Cores a per-core subscription bills: all cores, at least `minPerSocket` per CPU (vmware). */
export function subscriptionCores(cores: number, sockets: number, minPerSocket = DEFAULT_MIN_CORES_PER_SOCKET): number {
  return Math.max(Math.ceil(cores), minPerSocket * sockets);
}

/** RHEL counts 1-2 sockets as one pair (rhel). */
export function socketPairs(sockets: number): number {
  return Math.ceil(sockets / 2);
}

/** Whether the rule's mode-name and mode-kind filters let it apply to `mode`. */
export function ruleApplies(rule: LicenceRule, mode: ModeRef): boolean {
  return (rule.modes === undefined || rule.modes.includes(mode.name)) && (rule.kinds === undefined || rule.kinds.includes(mode.kind));
}

/** What one host owes under a rule: `units` of the price unit, and the arithmetic as text. */
interface HostCharge {
  readonly units: number;
  readonly term: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const guestsOf = (h: HostUsage, os: OsFamily | undefined): number => (os ? h.guests[os] : h.guests.linux + h.guests.windows);
const hostOsMatches = (h: HostUsage, os: OsFamily | undefined): boolean => os === undefined || h.hostOs === os;
const coversGuests = (c: Covers | undefined): boolean => c !== "hosts";
const coversHosts = (c: Covers | undefined): boolean => c !== "guests";

/** The host's charge under `rule`, or undefined when it has nothing the rule licenses. */
function charge(rule: LicenceRule, h: HostUsage): HostCharge | undefined {
  const guests = guestsOf(h, rule.os);
  const hostRuns = hostOsMatches(h, rule.os);
  switch (rule.kind) {
    case "per-os-instance": {
      const hostN = coversHosts(rule.covers) && hostRuns ? 1 : 0;
      const guestN = coversGuests(rule.covers) ? guests : 0;
      const n = hostN + guestN;
      if (n === 0) return undefined;
      const parts = [hostN > 0 ? "host OS" : "", guestN > 0 ? plural(guestN, "guest") : ""].filter((x) => x !== "");
      return { units: n, term: `${plural(n, "OS instance")} (${parts.join(" + ")})` };
    }
    case "per-core-stacking": {
      // The host OS needs one licensing even without guests; with guests it rides on theirs.
      const licensings = Math.max(Math.ceil(guests / rule.allowance), hostRuns ? 1 : 0);
      if (licensings === 0) return undefined;
      const cores = windowsLicensedCores(h.cores, h.sockets);
      const how = guests > 0 ? `ceil(${guests}/${rule.allowance})=${plural(licensings, "licensing")}` : "1 licensing (host OS)";
      return { units: licensings * cores, term: `${how} x ${cores} cores` };
    }
    case "per-core-unlimited": {
      if (guests === 0 && !hostRuns) return undefined;
      const cores = windowsLicensedCores(h.cores, h.sockets);
      return { units: cores, term: `${cores} cores` };
    }
    case "per-socket-pair": {
      const pairs = socketPairs(h.sockets);
      const pairText = plural(pairs, "socket pair");
      const hostSubs = coversHosts(rule.covers) && hostRuns ? pairs : 0;
      const perPair = rule.allowance === "unlimited" ? 1 : Math.ceil(guests / rule.allowance);
      const guestSubs = coversGuests(rule.covers) && guests > 0 ? pairs * perPair : 0;
      if (hostSubs + guestSubs === 0) return undefined;
      const parts: string[] = [];
      if (hostSubs > 0) parts.push(`host OS: ${pairText}`);
      if (guestSubs > 0)
        parts.push(
          rule.allowance === "unlimited"
            ? `${plural(guests, "guest")}: ${pairText}`
            : `${plural(guests, "guest")}: ${pairText} x ceil(${guests}/${rule.allowance})=${perPair}`,
        );
      return { units: hostSubs + guestSubs, term: `[${parts.join("; ")}] = ${plural(hostSubs + guestSubs, "subscription")}` };
    }
    case "per-core-subscription": {
      if (!hostRuns) return undefined;
      const min = rule.minCoresPerSocket ?? DEFAULT_MIN_CORES_PER_SOCKET;
      const cores = subscriptionCores(h.cores, h.sockets, min);
      const raised = cores > Math.ceil(h.cores) ? ` (min ${min}/CPU x ${h.sockets})` : "";
      return { units: cores, term: `${cores} cores${raised}` };
    }
    case "per-node":
      return hostRuns ? { units: 1, term: "" } : undefined;
    case "sql-server-per-core":
      return sqlCharge(rule, h);
  }
}

/** SQL Server on one host: the instances of its apps (peak), or all physical cores once. */
function sqlCharge(rule: SqlServerRule, h: HostUsage): HostCharge | undefined {
  const min = rule.minCores ?? SQL_MIN_CORES;
  const mine = (h.apps ?? []).filter((a) => rule.apps.includes(a.name) && a.instances > 0);
  if (mine.length === 0) return undefined;
  const physical = mine.some((a) => a.cores === "physical");
  if (rule.coverage === "host-cores" || physical) {
    const cores = sqlHostCores(h.cores, h.sockets, min);
    const raised = cores > Math.ceil(h.cores) ? ` (min ${min}/CPU x ${h.sockets})` : "";
    const why = rule.coverage === "host-cores" ? "all physical cores, unlimited instances" : "physical OS";
    return { units: cores, term: `${cores} cores${raised} (${why})` };
  }
  let units = 0;
  const parts: string[] = [];
  for (const a of mine) {
    const each = sqlLicensedCores(a.cores as number, min);
    units += a.instances * each;
    parts.push(`${plural(a.instances, a.name)} x ${each} cores`);
  }
  return { units, term: parts.length > 1 ? `(${parts.join(" + ")})` : (parts[0] as string) };
}

/** Price per unit as text, and the divisor that turns units x price into USD. */
function priceUnit(rule: LicenceRule): { text: string; per: number } {
  const p = usd(rule.price);
  switch (rule.kind) {
    case "per-os-instance":
      return { text: `${p}/OS instance`, per: 1 };
    case "per-core-stacking":
    case "per-core-unlimited":
      return { text: `${p}/${WINDOWS_PRICE_CORES} cores`, per: WINDOWS_PRICE_CORES };
    case "per-socket-pair":
      return { text: `${p}/subscription`, per: 1 };
    case "per-core-subscription":
      return { text: `${p}/core`, per: 1 };
    case "per-node":
      return { text: `${p}/host`, per: 1 };
    case "sql-server-per-core":
      return { text: `${p}/${SQL_PACK_CORES} cores`, per: SQL_PACK_CORES };
  }
}

/**
 * What `rule` costs `mode` per month over `hosts` — the hosts the mode pays for (see
 * `countedHosts`): every host given is charged for what runs on it.
 */
export function licenceCost(rule: LicenceRule, hosts: readonly HostUsage[], mode: ModeRef): RuleCost {
  const problems = licenceRuleProblems(rule);
  if (problems.length > 0) throw new RangeError(`cost: licence rule ${rule.name}: ${problems.join("; ")}`);
  const zero = (why: string): RuleCost => ({ name: rule.name, monthly: 0, detail: `${rule.name}: ${why} = $0.00/month` });
  if (!ruleApplies(rule, mode)) return zero(`not applied to mode ${mode.name}`);
  // Group hosts owing the same term so a 100-host cluster reads as one line per shape.
  const groups = new Map<string, { hosts: number; units: number }>();
  for (const h of hosts) {
    const c = charge(rule, h);
    if (!c) continue;
    const g = groups.get(c.term);
    if (g) g.hosts++;
    else groups.set(c.term, { hosts: 1, units: c.units });
  }
  if (groups.size === 0) return zero(`nothing to license in mode ${mode.name}`);
  const unit = priceUnit(rule);
  let units = 0;
  const terms: string[] = [];
  for (const [term, g] of groups) {
    units += g.hosts * g.units;
    terms.push(term === "" ? plural(g.hosts, "host") : `${plural(g.hosts, "host")} x ${term}`);
  }
  const amount = (units * rule.price) / unit.per;
  const amortize = rule.amortizeMonths ?? DEFAULT_AMORTIZE_MONTHS;
  const sum = terms.length > 1 ? `(${terms.join(" + ")})` : (terms[0] as string);
  return {
    name: rule.name,
    monthly: monthly(amount, rule.billing, amortize),
    detail: `${rule.name}: ${sum} x ${unit.text} ${billingText(amount, rule.billing, amortize)}`,
  };
}

/** Problems with a rule's values, as sentences (empty: valid); the scenario layer reports them. */
export function licenceRuleProblems(rule: LicenceRule): string[] {
  const out: string[] = [];
  if (rule.name.length === 0) out.push("name must not be empty");
  if (!(rule.price >= 0) || !Number.isFinite(rule.price)) out.push(`price must be a non-negative number, got ${rule.price}`);
  if (!BILLINGS.includes(rule.billing)) out.push(`billing must be one of ${BILLINGS.join(", ")}, got ${String(rule.billing)}`);
  if (rule.amortizeMonths !== undefined && !(rule.amortizeMonths > 0))
    out.push(`amortizeMonths must be positive, got ${rule.amortizeMonths}`);
  const allowance = rule.kind === "per-core-stacking" || rule.kind === "per-socket-pair" ? rule.allowance : undefined;
  if (allowance !== undefined && allowance !== "unlimited" && !(Number.isInteger(allowance) && allowance >= 1))
    out.push(`allowance must be a positive integer${rule.kind === "per-socket-pair" ? ' or "unlimited"' : ""}, got ${allowance}`);
  if (rule.kind === "per-core-stacking" && allowance === "unlimited")
    out.push('allowance "unlimited" is per-core-unlimited (Datacenter), not per-core-stacking');
  if (rule.kind === "per-core-subscription" && rule.minCoresPerSocket !== undefined && !(rule.minCoresPerSocket >= 0))
    out.push(`minCoresPerSocket must be non-negative, got ${rule.minCoresPerSocket}`);
  if (rule.kind === "sql-server-per-core") {
    // An empty list licenses nothing (the presets' own); the scenario loader insists on apps.
    if (!Array.isArray(rule.apps)) out.push("apps must be a list of the apps that run SQL Server");
    if (rule.minCores !== undefined && !(Number.isInteger(rule.minCores) && rule.minCores >= 1))
      out.push(`minCores must be a positive integer, got ${rule.minCores}`);
    if (rule.edition !== "standard" && rule.edition !== "enterprise") out.push(`edition must be standard or enterprise, got ${String(rule.edition)}`);
    if (rule.coverage === "host-cores" && rule.edition !== "enterprise")
      out.push("coverage host-cores (all physical cores, unlimited virtualisation) is Enterprise only");
  }
  return out;
}
