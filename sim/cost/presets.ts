/**
 * Built-in licence presets: list prices with their date and docs/calibration.md key, each a full
 * licence rule that a scenario may override field by field (`{ preset: X, price: Y }`).
 */
import { DEFAULT_AMORTIZE_MONTHS, usd } from "./billing.js";
import type { LicenceRule } from "./licence-rules.js";
import { DEFAULT_MIN_CORES_PER_SOCKET, SQL_MIN_CORES, SQL_PACK_CORES, licenceRuleProblems } from "./licence-rules.js";

export const presetNames = [
  "windows-server-2022-standard",
  "windows-server-2022-datacenter",
  "windows-server-2025-standard",
  "windows-server-2025-datacenter",
  "rhel-server",
  "rhel-virtual-datacenter",
  "vsphere-foundation",
  "vmware-cloud-foundation",
  "docker-engine",
  "sql-server-2022-standard",
  "sql-server-2022-enterprise",
  "sql-server-2022-enterprise-host",
  "sql-server-2022-enterprise-sa",
] as const;
export type PresetName = (typeof presetNames)[number];

export interface Preset {
  readonly rule: LicenceRule;
  /** When the price was the list price. */
  readonly date: string;
  /** docs/calibration.md key the figures come from. */
  readonly source: string;
  readonly note: string;
}

/**
 * rhel: no absolute price in docs/calibration.md (key rhel). Judgement: about USD 800 per year, the order of a
 * RHEL Server subscription with standard support on Red Hat's list; check your quote.
 */
const RHEL_SERVER_PER_YEAR = 799;
/** rhel: "the VDC costs about 3.2x a Server subscription". */
const RHEL_VDC_FACTOR = 3.2;

// The winsrv source gives the prices undated: the years are each version's launch list, recalled.
const WINDOWS_NOTE = "16-core list price (launch year recalled), 2-core packs, min 8 cores/CPU and 16/host; CALs extra";

/**
 * sqlserver (recalled list prices, SQL Server 2022 at its November 2022 launch): per 2-core pack,
 * Standard $3,945, Enterprise $15,123. Software Assurance about 25% of the licence price per year
 * (recalled, the usual rate). The presets license no app until the scenario names its `apps`.
 */
const SQL_STANDARD_2022 = 3945;
const SQL_ENTERPRISE_2022 = 15123;
const SQL_SA_SHARE = 0.25;
const SQL_NOTE = `per ${SQL_PACK_CORES}-core pack, min ${SQL_MIN_CORES} cores per VM or container (per CPU on a physical host); set apps: [...] to the apps that run SQL Server`;

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  "windows-server-2022-standard": {
    rule: { name: "windows-server-2022-standard", kind: "per-core-stacking", os: "windows", allowance: 2, price: 1069, billing: "perpetual" },
    date: "2021 (recalled)",
    source: "winsrv",
    note: `${WINDOWS_NOTE}; each licensing covers 2 OS instances, stackable`,
  },
  "windows-server-2022-datacenter": {
    rule: { name: "windows-server-2022-datacenter", kind: "per-core-unlimited", os: "windows", price: 6155, billing: "perpetual" },
    date: "2021 (recalled)",
    source: "winsrv",
    note: `${WINDOWS_NOTE}; unlimited OS instances`,
  },
  "windows-server-2025-standard": {
    rule: { name: "windows-server-2025-standard", kind: "per-core-stacking", os: "windows", allowance: 2, price: 1176, billing: "perpetual" },
    date: "2024 (recalled)",
    source: "winsrv",
    note: `${WINDOWS_NOTE}; each licensing covers 2 OS instances, stackable`,
  },
  "windows-server-2025-datacenter": {
    rule: { name: "windows-server-2025-datacenter", kind: "per-core-unlimited", os: "windows", price: 6771, billing: "perpetual" },
    date: "2024 (recalled)",
    source: "winsrv",
    note: `${WINDOWS_NOTE}; unlimited OS instances`,
  },
  "rhel-server": {
    rule: { name: "rhel-server", kind: "per-socket-pair", os: "linux", allowance: 2, covers: "both", price: RHEL_SERVER_PER_YEAR, billing: "year" },
    date: "judgement",
    source: "rhel",
    note: "judgement price (the rhel source gives no absolute figure; check your quote); per socket pair and 2 guests, stacked per socket pair; a Linux host OS takes one per socket pair",
  },
  "rhel-virtual-datacenter": {
    rule: {
      name: "rhel-virtual-datacenter",
      kind: "per-socket-pair",
      os: "linux",
      allowance: "unlimited",
      covers: "guests",
      price: Math.round(RHEL_SERVER_PER_YEAR * RHEL_VDC_FACTOR * 100) / 100,
      billing: "year",
    },
    date: "judgement",
    source: "rhel",
    note: "3.2 x the rhel-server judgement price; unlimited Linux guests per socket pair; the host OS is not covered (add rhel-server with covers: hosts)",
  },
  "vsphere-foundation": {
    rule: { name: "vsphere-foundation", kind: "per-core-subscription", kinds: ["vm"], price: 135, billing: "year" },
    date: "mid 2026",
    source: "vmware",
    note: `per core per year, min ${DEFAULT_MIN_CORES_PER_SOCKET} cores/CPU; hypervisor hosts of vm modes`,
  },
  "vmware-cloud-foundation": {
    rule: { name: "vmware-cloud-foundation", kind: "per-core-subscription", kinds: ["vm"], price: 350, billing: "year" },
    date: "mid 2026",
    source: "vmware",
    note: `per core per year, min ${DEFAULT_MIN_CORES_PER_SOCKET} cores/CPU; hypervisor hosts of vm modes`,
  },
  "docker-engine": {
    rule: { name: "docker-engine", kind: "per-node", kinds: ["container"], price: 0, billing: "month" },
    date: "n/a",
    source: "docker",
    note: "Docker Engine and containerd are free (Apache-2.0); shown so the container column names its licence",
  },
  "sql-server-2022-standard": {
    rule: { name: "sql-server-2022-standard", kind: "sql-server-per-core", edition: "standard", apps: [], price: SQL_STANDARD_2022, billing: "perpetual" },
    date: "2022-11 (recalled)",
    source: "sqlserver",
    note: `${SQL_NOTE}; Standard: per instance only`,
  },
  "sql-server-2022-enterprise": {
    rule: { name: "sql-server-2022-enterprise", kind: "sql-server-per-core", edition: "enterprise", apps: [], price: SQL_ENTERPRISE_2022, billing: "perpetual" },
    date: "2022-11 (recalled)",
    source: "sqlserver",
    note: `${SQL_NOTE}; Enterprise per instance`,
  },
  "sql-server-2022-enterprise-host": {
    rule: {
      name: "sql-server-2022-enterprise-host",
      kind: "sql-server-per-core",
      edition: "enterprise",
      coverage: "host-cores",
      apps: [],
      price: SQL_ENTERPRISE_2022,
      billing: "perpetual",
    },
    date: "2022-11 (recalled)",
    source: "sqlserver",
    note: `all physical cores of each host running SQL Server (min ${SQL_MIN_CORES}/CPU), unlimited VMs and containers ONLY with Software Assurance or a subscription: add sql-server-2022-enterprise-sa`,
  },
  "sql-server-2022-enterprise-sa": {
    rule: {
      name: "sql-server-2022-enterprise-sa",
      kind: "sql-server-per-core",
      edition: "enterprise",
      coverage: "host-cores",
      apps: [],
      price: Math.round(SQL_ENTERPRISE_2022 * SQL_SA_SHARE * 100) / 100,
      billing: "year",
    },
    date: "2022-11 (recalled)",
    source: "sqlserver",
    note: "Software Assurance on the host's Enterprise cores: ~25% of the licence price per year (recalled); the condition for unlimited virtualisation",
  },
};

/** A preset, optionally with fields overridden; `name` defaults to the preset's. */
export interface PresetRef {
  readonly preset: PresetName;
  readonly name?: string;
  readonly price?: number;
  readonly billing?: LicenceRule["billing"];
  readonly amortizeMonths?: number;
  readonly os?: LicenceRule["os"];
  readonly modes?: readonly string[];
  readonly kinds?: LicenceRule["kinds"];
  readonly allowance?: number | "unlimited";
  readonly covers?: "guests" | "hosts" | "both";
  readonly minCoresPerSocket?: number;
  readonly apps?: readonly string[];
  readonly minCores?: number;
  readonly edition?: "standard" | "enterprise";
  readonly coverage?: "instances" | "host-cores";
}

/** How a scenario names a licence: a preset (with overrides) or a full rule. */
export type LicenceSpec = PresetRef | LicenceRule;

export function isPresetName(name: string): name is PresetName {
  return (presetNames as readonly string[]).includes(name);
}

/** Fields each rule kind accepts besides the common ones. */
const KIND_FIELDS: Readonly<Record<LicenceRule["kind"], readonly string[]>> = {
  "per-os-instance": ["covers"],
  "per-core-stacking": ["allowance"],
  "per-core-unlimited": [],
  "per-socket-pair": ["allowance", "covers"],
  "per-core-subscription": ["minCoresPerSocket"],
  "per-node": [],
  "sql-server-per-core": ["apps", "minCores", "edition", "coverage"],
};

function merge(ref: PresetRef): LicenceRule {
  const { preset, ...overrides } = ref;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  // Kind-specific fields were checked against the preset's kind by `licenceSpecProblems`.
  return { ...PRESETS[preset].rule, ...defined } as LicenceRule;
}

/** Problems with a licence spec, as sentences (empty: valid), for the scenario layer to report. */
export function licenceSpecProblems(spec: LicenceSpec): string[] {
  if (!("preset" in spec)) return licenceRuleProblems(spec);
  if (!isPresetName(spec.preset)) return [`unknown licence preset ${String(spec.preset)}; known: ${presetNames.join(", ")}`];
  const kind = PRESETS[spec.preset].rule.kind;
  const kindFields = new Set(Object.values(KIND_FIELDS).flat());
  const wrong = Object.entries(spec)
    .filter(([f, v]) => v !== undefined && kindFields.has(f) && !KIND_FIELDS[kind].includes(f))
    .map(([f]) => f);
  if (wrong.length > 0) return wrong.map((f) => `${f} does not apply to preset ${spec.preset} (a ${kind} rule)`);
  return licenceRuleProblems(merge(spec));
}

/** The rule a spec stands for. Throws on an invalid spec: check `licenceSpecProblems` first. */
export function resolveLicence(spec: LicenceSpec): LicenceRule {
  const problems = licenceSpecProblems(spec);
  if (problems.length > 0) throw new RangeError(`cost: licence ${"preset" in spec ? spec.preset : spec.name}: ${problems.join("; ")}`);
  return "preset" in spec ? merge(spec) : spec;
}

/** "$1,069 / 16 cores, 2 OS instances each": a rule's price in its own unit, money written by `money`. */
export function describePrice(rule: LicenceRule, money: (usd: number) => string = usd): string {
  const p = money(rule.price);
  switch (rule.kind) {
    case "per-os-instance":
      return `${p} / OS instance`;
    case "per-core-stacking":
      return `${p} / 16 cores, ${rule.allowance} OS instances each`;
    case "per-core-unlimited":
      return `${p} / 16 cores, unlimited OS instances`;
    case "per-socket-pair":
      return `${p} / socket pair, ${rule.allowance === "unlimited" ? "unlimited" : rule.allowance} guests`;
    case "per-core-subscription":
      return `${p} / core, min ${rule.minCoresPerSocket ?? DEFAULT_MIN_CORES_PER_SOCKET} per CPU`;
    case "per-node":
      return `${p} / host`;
    case "sql-server-per-core":
      return rule.coverage === "host-cores"
        ? `${p} / ${SQL_PACK_CORES} cores, all physical cores`
        : `${p} / ${SQL_PACK_CORES} cores, min ${rule.minCores ?? SQL_MIN_CORES} per instance`;
  }
}

function describeBilling(rule: LicenceRule): string {
  switch (rule.billing) {
    case "perpetual":
      return `perpetual, / ${rule.amortizeMonths ?? DEFAULT_AMORTIZE_MONTHS} months`;
    case "year":
      return "per year, / 12";
    case "month":
      return "per month";
  }
}

/** The preset catalogue as a text table, for `densim profiles` (which passes the report's money formatter). */
export function formatPresets(money: (usd: number) => string = usd): string {
  const header = ["preset", "rule", "price", "billing", "applies to", "date", "source"];
  const rows = presetNames.map((name) => {
    const { rule, date, source } = PRESETS[name];
    const scope = [rule.os ?? "any OS", rule.kinds ? `${rule.kinds.join("/")} modes` : "all modes"].join(", ");
    return [name, rule.kind, describePrice(rule, money), describeBilling(rule), scope, date, source];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join("  ").trimEnd();
  const notes = presetNames.map((name) => `  ${name}: ${PRESETS[name].note}`);
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), "", "notes:", ...notes].join("\n") + "\n";
}
