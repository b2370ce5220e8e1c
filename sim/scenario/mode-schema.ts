/**
 * The `modes` section: what to compare, each a kind with a built-in profile and inline overrides
 * of its parameters; a mode under another name says its kind.
 */
import { z } from "zod";
import { profileNames, type ModeKind } from "../model/profiles.js";
import { bytes, durationDistribution, positiveBandwidth, seconds, workDistribution } from "./schema-units.js";
import { drainField, migrationField } from "./maintenance-schema.js";

const tax = z.number().min(0).max(0.9);
/** A tax for every workload class, or per class. */
const cpuTax = z
  .union([
    tax,
    z.strictObject({ cpu: tax.optional(), memory: tax.optional(), compression: tax.optional(), database: tax.optional(), network: tax.optional() }),
  ])
  .optional()
  .describe("Share of host CPU lost to virtualisation: one number for every workload class, or per class { cpu, memory, compression, database, network }");
const share = z.number().min(0.01).max(1);
const ioPath = z
  .strictObject({
    sequential: share.optional().describe("Share of native sequential throughput one instance gets"),
    random: share.optional().describe("Share of native random IOPS one instance gets"),
    cpuPerOp: seconds("Host CPU per I/O operation").optional(),
  })
  .optional()
  .describe("Running disk I/O through the mode's I/O path (felter15 defaults)");

const overcommitCpu = z.number().min(0.1).optional().describe("CPU committed per physical core (1 = none)");
const overcommit = (withMemory: boolean) =>
  withMemory
    ? z
        .strictObject({
          cpu: overcommitCpu,
          memory: z.number().min(0.1).optional().describe("Guest memory committed per byte of host memory (1 = none)"),
        })
        .describe("Overcommit ratios")
    : z.strictObject({ cpu: overcommitCpu }).describe("Overcommit ratio");

const profileEnum = (kind: ModeKind) => {
  const names = profileNames(kind) as [string, ...string[]];
  return z.enum(names).describe(`Built-in ${kind} profile (densim profiles lists them)`);
};

const create = durationDistribution(
  "Parallel part of creating and starting the process or container: a delay any number pass at once (profile default: a lognormal, CV 15%; a bare duration makes it constant)",
).optional();
const serial = durationDistribution(
  "Part of create (containers) or VMM spawn (VMs) serialised per host: seconds on one server all instances starting on the host share (0: none)",
).optional();
const interference = z
  .strictObject({
    memoryBandwidth: z.number().min(0).max(1).optional().describe("Share of a memory-bandwidth neighbour's pressure that reaches a tenant"),
    disk: z.number().min(0).max(1).optional().describe("Share of a disk neighbour's pressure that reaches a tenant"),
  })
  .optional()
  .describe("How much co-located tenants disturb each other in this mode (xavier13 defaults)");

const recovery = z
  .strictObject({
    detect: seconds("From a host's failure until the platform acts on it: heartbeat timeout plus any eviction toleration").optional(),
    action: z.enum(["restart", "none"]).optional().describe("restart (default): place each lost instance again; none: it stays down"),
  })
  .optional()
  .describe(
    "After a host fails (defaults per kind: containers 340s = Kubernetes 40s + 300s toleration; VMs 15s, vSphere HA; microVMs 340s; bare 60s, judgement)",
  );

const bareFields = {
  recovery,
  profile: profileEnum("bare").optional(),
  create,
  serial,
  interference,
  overcommit: overcommit(false).optional(),
  drain: drainField("bare"),
};
const containerFields = {
  recovery,
  profile: profileEnum("container").optional(),
  limits: z.boolean().optional().describe("cgroup CPU/memory limits on containers"),
  engine: z
    .strictObject({
      memory: bytes("Engine daemons per host").optional(),
      cpu: z.number().nonnegative().optional().describe("Cores the engine daemons use on every host"),
    })
    .optional(),
  shim: z.strictObject({ memory: bytes("Shim per container").optional() }).optional(),
  maxConcurrentDownloads: z.number().int().min(1).optional().describe("Layers one host downloads at once (dockerd default 3)"),
  cache: z
    .enum(["cold", "warm"])
    .optional()
    .describe("warm: every image is already on every host; cold (default): only hosts[].prepulled images are"),
  layerSharing: z
    .boolean()
    .optional()
    .describe("false: images share no layers, as if each had its own base (what-if for unstandardised base images)"),
  extract: z
    .strictObject({
      rate: positiveBandwidth("Decompression speed of one core").optional(),
      expansion: z.number().min(1).optional().describe("Bytes written to disk per compressed byte"),
    })
    .optional(),
  create,
  serial,
  createDisk: bytes("Bytes create moves on the host disk (snapshot, layer mounts)").optional(),
  pull: z
    .enum(["eager", "lazy"])
    .optional()
    .describe("eager (default): the whole image before start; lazy (eStargz/SOCI-style): only lazyReadShare of it, the rest in the background"),
  lazyReadShare: z.number().min(0).max(1).optional().describe("pull: lazy: share of the image read before the app starts (slacker16: 0.064)"),
  utilityVm: z
    .strictObject({
      memory: bytes("Memory of the utility VM each Hyper-V-isolated container runs in").optional(),
      idleCpu: z.number().nonnegative().optional().describe("Cores an idle utility VM uses"),
    })
    .optional()
    .describe("Hyper-V isolation (windows-hyperv profile): the utility VM per container"),
  cpuTax,
  io: ioPath,
  interference,
  overcommit: overcommit(false).optional(),
  drain: drainField("container"),
};
const vmFieldsOf = (kind: "vm" | "microvm") => ({
  recovery,
  profile: profileEnum(kind).optional(),
  vcpus: z
    .union([z.literal("auto"), z.number().int().min(1)])
    .optional()
    .describe("vCPUs per VM: auto = ceil(app CPU request), or a fixed number"),
  guestOs: z
    .strictObject({
      memory: bytes("Guest OS memory on top of the app's working set").optional(),
      idleCpu: z.number().nonnegative().optional().describe("Cores an idle guest OS uses"),
    })
    .optional(),
  hypervisor: z
    .strictObject({
      perVm: bytes("Overhead memory per VM").optional(),
      perVcpu: bytes("Overhead memory per vCPU").optional(),
      perGuestMemory: z.number().nonnegative().optional().describe("Overhead per byte of guest memory"),
      perHost: bytes("Hypervisor memory per host").optional(),
    })
    .optional(),
  provision: z
    .strictObject({
      copy: bytes("Disk bytes copied per VM (0 = linked clone)").optional(),
      concurrentOps: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe("Provisioning operations the management plane runs at once per host, the rest queue (0 = no limit)"),
    })
    .optional(),
  serial,
  boot: z
    .strictObject({
      delay: durationDistribution("Fixed part of the boot (firmware, timers, VMM start)").optional(),
      work: workDistribution("CPU work of the guest boot in core-seconds").optional(),
      read: bytes("Disk bytes the boot reads").optional(),
    })
    .optional(),
  guestInit: workDistribution("CPU work of guest init (cloud-init) in core-seconds").optional(),
  cpuTax,
  io: ioPath,
  ioEfficiency: z.number().min(0.01).max(1).optional().describe("Guest boot reads: useful bytes per byte of host disk"),
  interference,
  overcommit: overcommit(true).optional(),
  drain: drainField(kind),
  migration: migrationField,
});

/** Each VM kind's fields, built once: a mode's schema under its own name and under another share them. */
const vmFields = { vm: vmFieldsOf("vm"), microvm: vmFieldsOf("microvm") };

export const modeSchemas = {
  bare: z.strictObject({ kind: z.literal("bare").optional(), ...bareFields }),
  container: z.strictObject({ kind: z.literal("container").optional(), ...containerFields }),
  vm: z.strictObject({ kind: z.literal("vm").optional(), ...vmFields.vm }),
  microvm: z.strictObject({ kind: z.literal("microvm").optional(), ...vmFields.microvm }),
};

/** A mode under another name (e.g. `vm-vmware`) says its kind. */
export const namedMode = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("bare"), ...bareFields }),
  z.strictObject({ kind: z.literal("container"), ...containerFields }),
  z.strictObject({ kind: z.literal("vm"), ...vmFields.vm }),
  z.strictObject({ kind: z.literal("microvm"), ...vmFields.microvm }),
]);

export const modesSchema = z
  .strictObject({
    bare: modeSchemas.bare.optional(),
    container: modeSchemas.container.optional(),
    vm: modeSchemas.vm.optional(),
    microvm: modeSchemas.microvm.optional(),
  })
  .catchall(namedMode)
  .describe("Modes to compare, by name; omitted: bare, container, vm and microvm with default profiles");
