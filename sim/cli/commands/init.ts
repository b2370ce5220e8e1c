/** `densim init [file]`: writes a commented starter scenario that validates and runs as is. */
import { existsSync, writeFileSync } from "node:fs";
import type { Argv } from "yargs";
import { isOsError, OutputError, UsageError } from "../io.js";

export const STARTER = `# A densim scenario: which question does it answer? Say it here, in a line or two.
# Question: how many of my services fit on these hosts as processes, containers, VMs and microVMs?
#
# Run:       densim run scenario.yaml
# Check:     densim validate scenario.yaml
# Fields:    densim schema (JSON Schema; editors with the YAML language server autocomplete)
# Profiles:  densim profiles (defaults of each mode and their published sources)
version: 1
name: my-estate                  # reports go to reports/my-estate/
title: My services on two hosts
seed: 1                          # same seed, same results, byte for byte
horizon: 1h                      # simulated time: ms s m h d
replications: 5                  # independent runs per mode; results give a 95% CI

hosts:
  - type: host                   # hosts are named host-1, host-2, ...
    count: 2
    cores: 16
    sockets: 1
    memory: 128GiB               # B KB MB GB TB (x1000) or KiB MiB GiB TiB (x1024)
    reserved: { cores: 1, memory: 4GiB }

images:                          # container images; layers with equal digests are shared
  base: { layers: [ { digest: debian-12, size: 48MiB } ] }
  web: { from: base, layers: [ { digest: web-app, size: 60MiB } ] }

apps:
  - name: web
    replicas: 20
    runtime: java@17             # bare metal: two versions of one runtime cannot share a host
    image: web
    cpu: 0.5                     # cores requested
    memory: 1GiB                 # working set
    ports: [8080]                # bare processes collide on ports; containers and VMs do not
  - name: worker
    replicas: 10
    runtime: python@3.11
    cpu: 1
    memory: 2GiB

modes:                           # omit to compare all four with default profiles
  bare: {}
  container: { profile: docker }
  vm: { profile: kvm-linux, vcpus: auto, guestOs: { memory: 512MiB } }
  microvm: { profile: firecracker }

placement: { policy: best-fit }  # first-fit | best-fit | worst-fit | ffd | bfd
`;

export const initCommand = {
  command: "init [file]",
  describe: "Write a commented starter scenario",
  builder: (y: Argv) =>
    y
      .positional("file", { type: "string", default: "scenario.yaml", describe: "Where to write it" })
      .option("force", { type: "boolean", default: false, describe: "Overwrite an existing file" }),
  handler: (args: { file: string; force: boolean }): void => {
    if (existsSync(args.file) && !args.force) throw new UsageError(`${args.file}: expected a path where no file is (or --force to overwrite it), found an existing file`);
    try {
      writeFileSync(args.file, STARTER);
    } catch (e) {
      throw isOsError(e) ? new OutputError(args.file, e) : e;
    }
    process.stdout.write(`wrote ${args.file}; next: densim run ${args.file}\n`);
  },
};
