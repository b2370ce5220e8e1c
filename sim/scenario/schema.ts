/**
 * The scenario schema: one zod definition that is the loader's validation, the TypeScript types
 * of a parsed scenario (SI units throughout) and, through `z.toJSONSchema`, the JSON Schema that
 * `densim schema` prints for editors. Field descriptions here are the user-facing documentation.
 */
import { z } from "zod";
import { LICENCE_KINDS, presetNames } from "../cost/index.js";
import { MODE_KINDS, WORKLOAD_CLASSES, type ModeKind } from "../model/profiles.js";
import { modeSchemas, modesSchema, namedMode } from "./mode-schema.js";
import { maintenanceSchema } from "./maintenance-schema.js";
import { bandwidth, bytes, durationDistribution, positiveBandwidth, positiveSeconds, seconds, unit, workDistribution } from "./schema-units.js";
import { parseRate } from "./units.js";
import { CONTROL_CHARACTERS, NAME_MAX_LENGTH, NAME_PATTERN, NAME_RULE, RESERVED_NAMES, TEXT_MAX_LENGTH } from "./names.js";

export { bandwidth, durationDistribution } from "./schema-units.js";
export { modeSchemas } from "./mode-schema.js";

const slug = (what: string) =>
  z
    .string()
    .max(NAME_MAX_LENGTH, { message: `expected ${what} of ${NAME_RULE}` })
    .regex(NAME_PATTERN, { message: `expected ${what} of ${NAME_RULE}` })
    .refine((s) => !RESERVED_NAMES.includes(s), { message: `expected ${what} of ${NAME_RULE}` });

/** Free text shown in charts and the terminal: one line, no control characters. */
const text = (what: string) =>
  z
    .string()
    .max(TEXT_MAX_LENGTH, { message: `expected ${what} of at most ${TEXT_MAX_LENGTH} characters` })
    .refine((s) => !CONTROL_CHARACTERS.test(s), { message: `expected ${what} without control characters (tabs, newlines, escapes, NUL)` });

/** Random 4 KiB operations per second of a host disk when the scenario gives none (judgement: datacentre NVMe). */
export const DEFAULT_DISK_IOPS = 200_000;

/** Cores of a host or an app: finite and within what any machine has, so sums cannot overflow. */
const MAX_CORES = 100_000;

const hostSchema = z
  .strictObject({
    type: slug("a host type name").describe("Host type, e.g. r650; hosts are named <type>-<n>"),
    count: z.number().int().min(0).default(1).describe("How many hosts of this type (0: none of it; the cluster needs at least one host)"),
    cores: z.number().positive().max(MAX_CORES).describe("Physical cores (or hardware threads, consistently)"),
    sockets: z.number().int().min(1).default(1).describe("CPU sockets (licensing)"),
    memory: bytes("Physical memory").pipe(z.number().positive()),
    reserved: z
      .strictObject({
        cores: z.number().nonnegative().default(0).describe("Cores kept for the host OS"),
        memory: bytes("Memory kept for the host OS").default(0),
      })
      .default({ cores: 0, memory: 0 })
      .describe("Reserve for the host OS, never given to instances"),
    disk: z
      .strictObject({
        bandwidth: positiveBandwidth("Disk throughput shared by layer extraction, disk copies, boot reads and running I/O").default(1e9),
        iops: z
          .number()
          .positive()
          .max(1e9)
          .default(DEFAULT_DISK_IOPS)
          .describe(`I/O operations per second the disk sustains (default ${DEFAULT_DISK_IOPS}, a judgement for a datacentre NVMe SSD)`),
      })
      .default({ bandwidth: 1e9, iops: DEFAULT_DISK_IOPS })
      .describe("Local disk (default 1GB/s and 200,000 IOPS, a judgement for a datacentre SSD)"),
    network: positiveBandwidth("NIC bandwidth shared by image pulls (default 10Gbit/s)").default(1.25e9),
    prepulled: z.array(z.string()).default([]).describe("Images whose layers are already in this host's cache (warm cache)"),
    failures: z
      .strictObject({
        mtbf: positiveSeconds("Mean time between failures of each host (exponential, drawn per host)").optional(),
        times: z.array(seconds("a failure time")).min(1).optional().describe("Failure times of every host of this type, instead of mtbf"),
        repair: durationDistribution("Time from a failure until the host is usable again (default: not within the horizon)").optional(),
      })
      .refine((f) => (f.mtbf === undefined) !== (f.times === undefined), { message: "expected either mtbf or times" })
      .optional()
      .describe("Host failures: { mtbf: 2000h, repair: 4h } or { times: [2h, 10h], repair: 4h }"),
    cost: z
      .union([
        z.strictObject({ monthly: z.number().nonnegative().describe("USD per month per host, all in") }),
        z.strictObject({
          price: z.number().nonnegative().describe("Purchase price in USD"),
          lifetime: z.number().positive().default(60).describe("Months the price is spread over (default 60)"),
          watts: z.strictObject({ idle: z.number().nonnegative(), max: z.number().nonnegative() }).describe("Power draw idle and at full load"),
          kwhPrice: z.number().nonnegative().describe("USD per kWh"),
        }),
      ])
      .optional()
      .describe("What one host costs: { monthly } or { price, lifetime, watts, kwhPrice } (power at the run's utilisation)"),
  })
  .describe("A host type and how many of it");

const layerSchema = z.strictObject({
  digest: text("a digest").min(1).describe("Content address of the layer; equal digests are one layer"),
  size: bytes("Compressed layer size"),
});

const imageSchema = z
  .strictObject({
    from: z.string().optional().describe("Base image: its layers come first"),
    layers: z.array(layerSchema).default([]).describe("Layers added on top of the base"),
  })
  .describe("A container image");

const RUNTIME = /^[a-z][a-z0-9._+-]*@[A-Za-z0-9._+-]+$/;
const port = z.number().int().min(1).max(65535);

const cores = (description: string) => z.number().nonnegative().max(MAX_CORES).describe(`${description} (cores)`);

const loadSchema = z
  .discriminatedUnion("pattern", [
    z.strictObject({ pattern: z.literal("constant"), cores: cores("Demand") }),
    z
      .strictObject({
        pattern: z.literal("diurnal"),
        mean: cores("Mean demand"),
        peak: cores("Peak demand"),
        period: positiveSeconds("Length of one cycle").default(86400),
        peakAt: seconds("When in the cycle demand peaks").default(14 * 3600),
        steps: z.number().int().min(2).max(10000).default(24).describe("Steps per cycle: demand is the sinusoid's mean over each step"),
        jitter: seconds("Spread of replicas' peaks: each is shifted by whole steps up to this").default(0),
      })
      .refine((d) => d.peak >= d.mean, { message: "expected a peak >= the mean", path: ["peak"] }),
    z.strictObject({
      pattern: z.literal("bursty"),
      base: cores("Demand between bursts"),
      burst: cores("Demand in a burst"),
      on: positiveSeconds("Mean burst length (exponential)"),
      off: positiveSeconds("Mean time between bursts (exponential)"),
    }),
    z
      .strictObject({
        pattern: z.literal("spikes"),
        base: cores("Demand between spikes"),
        spike: cores("Demand in a spike"),
        every: positiveSeconds("Time from one spike to the next"),
        duration: seconds("Length of a spike"),
      })
      .refine((d) => d.duration <= d.every, { message: "expected a duration <= every", path: ["duration"] }),
    z.strictObject({
      pattern: z.literal("trace"),
      file: z.string().min(1).describe("CSV with columns time,cores (time a duration or seconds), relative to the scenario file"),
      loop: z.boolean().default(false).describe("Repeat the trace after its last row"),
    }),
  ])
  .describe("CPU demand over time: constant | diurnal | bursty | spikes | trace (default: constant at the CPU request)");

const level = z.enum(["none", "low", "medium", "high"]);

const arrivalsSchema = z
  .discriminatedUnion("process", [
    z.strictObject({ process: z.literal("poisson"), rate: unit(parseRate, "Arrivals per time: 20/h, 3/m, 5/s") }),
    z.strictObject({ process: z.literal("interval"), every: positiveSeconds("Time between arrivals"), at: seconds("First arrival").default(0) }),
    z.strictObject({ process: z.literal("trace"), file: z.string().min(1).describe("CSV with a column time (arrival times), relative to the scenario file") }),
  ])
  .describe("When jobs arrive: poisson | interval | trace");

const appSchema = z
  .strictObject({
    name: slug("an app name"),
    kind: z.enum(["service", "job"]).default("service").describe("service: replicas run for the whole horizon; job: arrivals with finite work"),
    replicas: z.number().int().min(0).optional().describe("How many instances (services)"),
    arrivals: arrivalsSchema.optional(),
    work: workDistribution("Work of one job in core-seconds").optional(),
    load: loadSchema.optional(),
    pressure: z
      .strictObject({ memoryBandwidth: level.default("none"), disk: level.default("none") })
      .optional()
      .describe("How hard the app presses on what co-located tenants share (a noisy neighbour is high)"),
    sensitivity: z.number().min(0).max(10).default(1).describe("How much neighbours' pressure slows this app (1 = the calibrated benchmark)"),
    class: z
      .enum(WORKLOAD_CLASSES)
      .default("cpu")
      .describe("What the app's work is bound by: cpu | memory | compression | database | network; each pays its mode's CPU tax (felter15)"),
    io: z
      .strictObject({
        disk: bandwidth("Steady disk throughput while running"),
        pattern: z.enum(["sequential", "random"]).default("sequential").describe("sequential (default) or random I/O"),
        size: bytes("Size of one I/O operation (default 1MiB sequential, 4KiB random)").pipe(z.number().positive()).optional(),
      })
      .optional()
      .describe("Disk I/O a service does while running: bounded by the disk's bandwidth and IOPS; a VM gets its profile's share of native per pattern (felter15)"),
    grow: z
      .strictObject({ to: bytes("Working set it grows to"), over: seconds("Time it takes to get there, from start") })
      .optional()
      .describe("A working set that grows (a leak, a cache filling) after the instance starts"),
    memoryLimit: bytes("Hard memory ceiling under container limits or inside a VM (default: memory)").optional(),
    restart: z.enum(["always", "never"]).default("always").describe("After an OOM kill: start again (with back-off) or stay down"),
    runtime: z
      .string()
      .regex(RUNTIME, { message: "expected family@version, e.g. java@17 or dotnet@8" })
      .optional()
      .describe("Runtime family@version: two versions of one family cannot share a bare-metal host"),
    os: z.enum(["linux", "windows"]).default("linux").describe("OS family the app needs"),
    image: z.string().optional().describe("Container image (a key of images)"),
    cpu: z.number().positive().max(MAX_CORES).describe("CPU request in cores"),
    memory: bytes("Memory working set"),
    init: workDistribution("Start-up work of the app itself in core-seconds (JVM warm-up, cache loading)").default(0),
    start: z
      .strictObject({
        at: seconds("When the first replica is requested").default(0),
        stagger: seconds("Delay between consecutive replicas' requests").default(0),
      })
      .default({ at: 0, stagger: 0 })
      .describe("When replicas are requested"),
    rollout: z
      .strictObject({
        batch: z.number().int().min(1).describe("Replicas per wave; the next wave is requested when this one is ready"),
        pause: seconds("Pause between waves").default(0),
      })
      .optional()
      .describe("Start in waves (a rolling deploy) instead of all at once"),
    ports: z.array(port).default([]).describe("Ports the app listens on; collide only between bare processes"),
    dirtyRate: bandwidth("Memory one instance's guest dirties per second, for live migration (default: the mode's migration.dirtyRate)").optional(),
    publish: z
      .array(port)
      .default([])
      .describe("Host ports a container publishes (docker -p); collide between containers on one host"),
  })
  .describe("An application");


/** An SLO bound: a number in the metric's SI unit, or a string with a unit that must match the metric's (60s, 2GiB, 80%, 1.5x). */
const sloBound = z.union([z.number(), z.string()]);

/**
 * Service-level objectives by metric name. Bounds stay as written here: what a metric name means
 * and which unit its bound takes belong to the metric catalogue (experiment), which checks them.
 */
const sloSchema = z
  .record(
    z.string(),
    z.union([
      sloBound.describe("A bound in the metric's unit: at most this, or at least this for a metric where more is better (instances.placed, cpu.utilization)"),
      z
        .strictObject({
          max: sloBound.optional().describe("At most this"),
          min: sloBound.optional().describe("At least this"),
        })
        .refine((o) => o.max !== undefined || o.min !== undefined, { message: "expected max, min or both" })
        .describe("An explicit direction: { max: 60s }, { min: 0.99 }, or both"),
    ]),
  )
  .default({})
  .describe(
    "Service-level objectives, metric -> bound, e.g. { startup.p95: 60s, apps.web.slowdown.p99: 1.5, instances.rejected: 0 }; any metric of results.json, apps.<app>.<metric> per app",
  );

/** One tunable of `densim explore`: a slider (min, max, step) or a choice (values), each value applied like `--set path=value`. */
const exploreParamSchema = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9_.@-]+$/, { message: "expected a dotted field path like apps.orders.replicas" })
      .describe("The field it sets, as with --set: apps.orders.replicas, hosts.0.count, modes.vm.guestOs.memory"),
    label: text("a label").optional().describe("Words beside the control (default: the path)"),
    min: z.number().optional().describe("Slider: lowest value (in `unit` when given)"),
    max: z.number().optional().describe("Slider: highest value"),
    step: z.number().positive().optional().describe("Slider: step (default: 1/50 of the range)"),
    unit: z
      .string()
      .max(16)
      .regex(/^[A-Za-z/%]+$/, { message: "expected a unit like MiB or Gbit/s" })
      .optional()
      .describe("Unit written after the number when the value is set: MiB makes 512 into 512MiB"),
    values: z
      .array(z.union([z.string().max(100), z.number(), z.boolean()]))
      .min(1)
      .max(50)
      .optional()
      .describe("A choice between these values instead of a slider: [cold, warm]"),
  })
  .refine((p) => (p.values !== undefined) !== (p.min !== undefined && p.max !== undefined), {
    message: "expected either values (a choice) or min and max (a slider)",
  })
  .refine((p) => p.min === undefined || p.max === undefined || p.min <= p.max, { message: "expected min <= max" });

const exploreSchema = z
  .strictObject({
    params: z.array(exploreParamSchema).min(1).max(40).describe("The controls, in order"),
  })
  .optional()
  .describe(
    "densim explore: the parameters a speaker can move (default: replicas of each app, host counts, overcommit ratios, guest OS memory, registry bandwidth, image cache)",
  );

export const PLACEMENT_POLICIES = ["first-fit", "best-fit", "worst-fit", "ffd", "bfd"] as const;

export const scenarioSchema = z
  .strictObject({
    version: z.literal(1).describe("Scenario format version"),
    name: slug("a scenario name").describe("Used for reports/<name>/"),
    title: text("a title").optional().describe("One line for chart titles"),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1).describe("Seed of every random stream"),
    horizon: positiveSeconds("Simulated time").default(3600),
    replications: z.number().int().min(1).max(10000).default(5).describe("Independent runs per mode"),
    hosts: z.array(hostSchema).min(1).describe("The cluster"),
    registry: z
      .strictObject({
        bandwidth: positiveBandwidth("Registry egress shared by every host's pulls").default(1.25e8),
        latency: seconds("Round trip before each layer download starts").default(0.04),
      })
      .default({ bandwidth: 1.25e8, latency: 0.04 })
      .describe("The image registry (default 1Gbit/s, 40ms)"),
    images: z.record(z.string(), imageSchema).default({}).describe("Container images by name"),
    apps: z.array(appSchema).min(1).describe("The workload"),
    modes: modesSchema.optional(),
    sampling: z
      .strictObject({ step: positiveSeconds("Time between samples of host CPU and memory (timeseries.csv, CPU charts)") })
      .optional()
      .describe("Time-series sampling (default: 120 samples over the horizon)"),
    cost: z
      .strictObject({
        countIdleHosts: z.boolean().default(false).describe("Charge hosts a mode leaves empty (default: the hosts a mode needs are what it pays for)"),
        amortizeMonths: z.number().int().min(1).default(36).describe("Months perpetual licences are spread over"),
      })
      .default({ countIdleHosts: false, amortizeMonths: 36 }),
    licenses: z
      .array(
        z.strictObject({
          preset: z.enum(presetNames).optional().describe("A built-in licence (densim profiles lists them); other fields override it"),
          name: text("a label").min(1).optional().describe("Label in reports (default: the preset's name)"),
          kind: z.enum(LICENCE_KINDS).optional().describe("The licensing rule, when not from a preset"),
          price: z.number().nonnegative().optional().describe("USD per the rule's unit, per billing period"),
          billing: z.enum(["perpetual", "month", "year"]).optional(),
          amortizeMonths: z.number().int().min(1).optional(),
          os: z.enum(["linux", "windows"]).optional().describe("OS family it covers (default both)"),
          modes: z.array(z.string()).optional().describe("Mode names it applies to (default all)"),
          kinds: z.array(z.enum(["bare", "container", "vm", "microvm"])).optional().describe("Mode kinds it applies to (default all)"),
          allowance: z.union([z.number().int().min(1), z.literal("unlimited")]).optional().describe("OS instances per licensing (stacking rules)"),
          covers: z.enum(["guests", "hosts", "both"]).optional(),
          minCoresPerSocket: z.number().int().min(1).optional(),
          apps: z.array(z.string()).optional().describe("sql-server-per-core: the apps that run SQL Server (their instances' cores are licensed)"),
          minCores: z.number().int().min(1).optional().describe("sql-server-per-core: cores licensed at least per VM, container or CPU (default 4)"),
          edition: z.enum(["standard", "enterprise"]).optional().describe("sql-server-per-core: Standard or Enterprise"),
          coverage: z
            .enum(["instances", "host-cores"])
            .optional()
            .describe("sql-server-per-core: instances (each VM/container's cores) or host-cores (Enterprise: all physical cores, unlimited instances, with Software Assurance)"),
        }),
      )
      .default([])
      .describe("Licence rules, each applied per mode to the OS instances and hosts the run used"),
    operations: z
      .strictObject({
        patchHoursPerOsInstance: z.number().nonnegative().describe("Hours of patching per OS instance per month"),
        hourlyRate: z.number().nonnegative().describe("USD per hour"),
        microvmGuestsArePatched: z.boolean().default(false).describe("Whether microVM guests are patched like VMs (default: rebuilt from images)"),
      })
      .optional()
      .describe("Operations cost: patch hours per OS instance x hourly rate"),
    events: z
      .array(
        z.strictObject({
          at: seconds("When"),
          fail: z.string().min(1).describe("The host that fails, named <type>-<n> (r650-3)"),
          repair: positiveSeconds("Until it is usable again (default: its type's failures.repair, else not within the horizon)").optional(),
        }),
      )
      .default([])
      .describe("Scheduled host failures: [ { at: 2h, fail: r650-3, repair: 4h } ]"),
    reserve: z
      .union([
        z.strictObject({ hosts: z.number().int().min(0).describe("Hosts held back (the last ones in host order): only failover uses them") }),
        z.strictObject({
          percent: z.number().min(0).max(99).describe("Share of every host's CPU and memory held back for failover, percent (0 to 99)"),
        }),
      ])
      .optional()
      .describe("Failover capacity normal placement must leave free: { hosts: 1 } (N+1) or { percent: 25 }; recovery may use it"),
    placement: z
      .strictObject({
        policy: z
          .enum(PLACEMENT_POLICIES)
          .default("best-fit")
          .describe("first-fit, best-fit, worst-fit (spread), ffd / bfd (largest first)"),
      })
      .default({ policy: "best-fit" }),
    slo: sloSchema,
    explore: exploreSchema,
    maintenance: maintenanceSchema,
  })
  .describe("A densim scenario");

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type HostSpec = Scenario["hosts"][number];
export type AppSpec = Scenario["apps"][number];
export type ImageSpec = Scenario["images"][string];
export type ExploreParamSpec = z.output<typeof exploreParamSchema>;
export type ModeSpec = z.output<typeof namedMode> | z.output<(typeof modeSchemas)[ModeKind]>;
export type DurationDistribution = z.output<ReturnType<typeof durationDistribution>>;

export const isModeKind = (s: string): s is ModeKind => (MODE_KINDS as readonly string[]).includes(s);

/** The JSON Schema of the scenario format, for editors (`densim schema`). */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { ...schema, title: "densim scenario" };
}
