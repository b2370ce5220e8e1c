import { EventQueue, RngStreams } from "../sim/engine/index.js";
function run(N, E) {
    const rng = new RngStreams(1, 0).get("hold");
    const q = new EventQueue(N + 1);
    for (let i = 0; i < N; i++)
        q.schedule(-Math.log(1 - rng.next()), 0, i);
    let t0 = performance.now();
    for (let e = 0; e < E; e++) {
        const now = q.peekTime();
        const slot = q.peekSlot();
        q.replaceTop(now - Math.log(1 - rng.next()), 0, q.dataOf(slot));
    }
    const a = E / (performance.now() - t0) / 1e3;
    t0 = performance.now();
    for (let e = 0; e < E; e++) {
        const now = q.peekTime();
        const slot = q.pop();
        q.schedule(now - Math.log(1 - rng.next()), 0, q.dataOf(slot));
    }
    const b = E / (performance.now() - t0) / 1e3;
    console.log(N, "replaceTop", a.toFixed(2), "M/s; pop+schedule", b.toFixed(2), "M/s");
}
run(1000, 2e6);
for (const N of [1000, 100000, 1000000])
    run(N, 3e6);
