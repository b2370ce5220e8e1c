/**
 * Benchmark entry point: runs each registered bench in order and prints its table.
 * Add a bench by appending to BENCHES.
 */
import { benchEngine } from "./engine.js";
const BENCHES = [["engine (hold model)", benchEngine]];
for (const [name, bench] of BENCHES) {
    console.log(`## ${name}\n`);
    console.log(await bench());
    console.log();
}
