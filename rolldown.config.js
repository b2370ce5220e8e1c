/**
 * The `densim` executable as a bundle (dist/bin/densim.js, package.json's bin): the CLI, the worker
 * pool's worker and the explorer's worker, with their dependencies, in about fifty chunks instead of
 * some six hundred modules, so a command starts sooner (`densim validate` in about two thirds of
 * the time). It bundles tsc's output (dist/sim/): `npm run build` runs tsc first.
 * The workers keep their names: the code that starts them finds them beside itself
 * (`new URL("./pool-worker.js", import.meta.url)`). Left to Node as they are: resvg's native addon,
 * and protobufjs, which @datadog/sketches-js requires only to serialise a sketch (densim never does;
 * it is not installed).
 */
import { build, defineConfig } from "rolldown";
import { pathToFileURL } from "node:url";

const cli = defineConfig({
  input: {
    densim: "dist/sim/cli/main.js",
    "pool-worker": "dist/sim/experiment/pool-worker.js",
    worker: "dist/sim/cli/explore/worker.js",
  },
  platform: "node",
  external: ["@resvg/resvg-js", "protobufjs/minimal"],
  output: {
    dir: "dist/bin",
    format: "esm",
    entryFileNames: "[name].js",
    chunkFileNames: "[name]-[hash].js",
    // Chunk names carry a content hash: a rebuild starts from an empty folder, so none is left over.
    cleanDir: true,
  },
});

/**
 * The scale bench's case runner (bench/scale-case.ts) bundled the same way, with the pool's worker
 * beside it, so a case starts as fast as `densim run` does (it loads in a third of a second less
 * than from dist/bench/, a few percent of the 100,000-service case).
 */
const bench = defineConfig({
  input: { "scale-case": "dist/bench/scale-case.js", "pool-worker": "dist/sim/experiment/pool-worker.js" },
  platform: "node",
  external: cli.external,
  output: { ...cli.output, dir: "dist/bench/bin" },
});

export default [cli, bench];

// `node rolldown.config.js` (npm run build) bundles without the CLI's table of chunks; `npx rolldown -c rolldown.config.js` also works.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) for (const config of [cli, bench]) await build(config);
