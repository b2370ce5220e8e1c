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

const config = defineConfig({
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

export default config;

// `node rolldown.config.js` (npm run build) bundles without the CLI's table of chunks; `npx rolldown -c rolldown.config.js` also works.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await build(config);
