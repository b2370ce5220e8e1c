/**
 * Benchmark entry point: the scale table (issue 11; each case in its own process), the CLI's
 * times (help, profiles, validate, run --format json), then each registered micro-bench in order.
 * `npm run bench -- --quick` runs the scale cases at small sizes and the CLI's times only;
 * `-- --million` adds the 1,000,000-service case; `-- --sweep` runs only the sweep bench
 * (`--sweep-reps=N` times each, default 5); `-- --groups` only host groups against whole runs
 * (`--groups-services=N`, default 100,000). Add a bench by appending to BENCHES.
 */
import { benchCli } from "./cli.js";
import { benchContention } from "./contention.js";
import { benchEngine } from "./engine.js";
import { benchHostGroups } from "./host-groups.js";
import { benchScale } from "./scale.js";
import { benchSharing } from "./sharing.js";
import { benchStartup } from "./startup.js";
import { benchSweep } from "./sweep.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");

const SWEEP = ["sweep: 8 points on 1 and 2 workers", () => benchSweep(args)] as const;

const GROUPS = ["host groups against whole runs", () => benchHostGroups(args)] as const;

const BENCHES: readonly (readonly [string, () => Promise<string>])[] = args.includes("--sweep") ? [SWEEP] : args.includes("--groups") ? [GROUPS] : [
  [`scale${quick ? " (quick sizes)" : ""}: services, cold pull storm, Poisson jobs`, () => benchScale(args)],
  ["CLI: help, profiles, validate and run --format json of the quickstart", benchCli],
  ...(quick
    ? []
    : ([
        ["engine (hold model)", benchEngine],
        ["sharing (fluid max-min, per-host CPUs, registry)", benchSharing],
        ["start-up: containers, cold caches, shared base layers", benchStartup],
        ["contention: 10,000 services, diurnal load, 200 hosts, 24 h, four modes", benchContention],
        SWEEP,
      ] as const)),
];

for (const [name, bench] of BENCHES) {
  console.log(`## ${name}\n`);
  console.log(await bench());
  console.log();
}
