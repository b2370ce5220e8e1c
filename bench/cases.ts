/**
 * The scale cases of issue 11 as scenario texts: services with diurnal load in four modes, a cold
 * image pull storm through one registry, Poisson jobs. Used by `npm run bench` (bench/scale.ts) and
 * written to files by `node dist/bench/write-cases.js DIR` for profiling with `densim run`.
 */
import { contentionScenario } from "./contention.js";

/** `instances` services (20 apps), diurnal load, 24 h, four modes; one 64-core host per 50 instances. */
export function servicesScenario(instances: number): string {
  const apps = 20;
  const replicas = Math.ceil(instances / apps);
  const hosts = Math.max(1, Math.ceil(instances / 50));
  return contentionScenario(hosts, apps, replicas, `bench-services-${instances}`);
}

/**
 * Every one of `hosts` hosts starts one container with a cold cache, all at once (a storm) or
 * `staggerMs` apart: every pull shares one 10 Gbit/s registry, so the pulls in flight form one
 * sharing component. At once, pulls start and finish together; staggered, they come and go one by one.
 */
export function pullStormScenario(hosts: number, staggerMs = 0): string {
  return `version: 1
name: bench-pulls-${hosts}${staggerMs > 0 ? "-staggered" : ""}
seed: 1
horizon: 2h
replications: 1
hosts: [ { type: h, count: ${hosts}, cores: 32, memory: 256GiB, network: 25Gbit/s, disk: { bandwidth: 2GB/s } } ]
registry: { bandwidth: 10Gbit/s, latency: 40ms }
images:
  java17: { layers: [ { digest: debian-12, size: 48MiB }, { digest: temurin-17-jre, size: 140MiB } ] }
  svc: { from: java17, layers: [ { digest: svc-app, size: 35MiB } ] }
apps:
  - { name: svc, replicas: ${hosts}, image: svc, runtime: java@17, cpu: 1, memory: 2GiB, init: 4s, start: { stagger: ${staggerMs}ms } }
modes:
  container: { profile: docker }
placement: { policy: worst-fit }
`;
}

/** Poisson jobs at 1/s (about 10 core-seconds each) for `days` days on 16 hosts, as containers. */
export function jobsScenario(days: number): string {
  return `version: 1
name: bench-jobs-${days}d
seed: 1
horizon: ${days * 24}h
replications: 1
hosts: [ { type: h, count: 16, cores: 32, memory: 256GiB, network: 25Gbit/s, disk: { bandwidth: 2GB/s } } ]
apps:
  - name: job
    kind: job
    arrivals: { process: poisson, rate: 1/s }
    work: { dist: exponential, mean: 10s }
    cpu: 1
    memory: 1GiB
modes:
  container: {}
placement: { policy: best-fit }
`;
}
