/**
 * One sweep in its own process, for bench/sweep.ts: `node dist/bench/sweep-case.js ARGS...` runs
 * `densim ARGS...` in this process as users run it (the bundle, dist/bin/densim.js, and its
 * workers) and, as the process exits, prints one JSON line after densim's output: the exit code and
 * this process's CPU time (user and system, every thread's) and peak RSS.
 * `node dist/bench/sweep-case.js --spin THREADS` instead spreads a fixed amount of pure
 * computation over the main thread and THREADS - 1 worker threads: the control that shows how
 * much of the machine's cores this process can get at the moment.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { fileURLToPath } from "node:url";

/** package.json's bin: it runs the command line in process.argv when imported. */
const BUNDLE = new URL("../bin/densim.js", import.meta.url);

/** The control's work in all (iterations of a small integer recurrence, about 2.2 s of one core on the quietest days seen here). */
const SPIN_WORK = 100_000_000;

function spin(n: number): number {
  let x = 1;
  for (let i = 0; i < n; i++) x = (x * 48_271) % 2_147_483_647;
  return x;
}

function usage(code: number): void {
  const u = process.resourceUsage();
  console.log(JSON.stringify({ code, userS: u.userCPUTime / 1e6, sysS: u.systemCPUTime / 1e6, maxRssBytes: u.maxRSS * 1024 }));
}

if (!isMainThread) {
  parentPort?.postMessage(spin(workerData as number));
} else if (process.argv[2] === "--spin") {
  const threads = Math.max(1, Number(process.argv[3]));
  const share = Math.floor(SPIN_WORK / threads);
  const others = Array.from(
    { length: threads - 1 },
    () =>
      new Promise<void>((resolve, reject) => {
        const w = new Worker(new URL(import.meta.url), { workerData: share });
        w.once("message", () => resolve());
        w.once("error", reject);
      }),
  );
  spin(share);
  await Promise.all(others);
  usage(0);
  process.exit(0);
} else {
  process.argv = [process.argv[0] as string, fileURLToPath(BUNDLE), ...process.argv.slice(2)];
  process.once("exit", (code) => usage(code));
  await import(BUNDLE.href);
}
