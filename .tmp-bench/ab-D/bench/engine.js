/**
 * Engine benchmark, the classic "hold" model: N pending events, each firing schedules one more at
 * now + Exp(1). Compares the full Simulation against a bare Float64 binary heap doing the same work.
 */
import { RngStreams, Simulation } from "../sim/engine/index.js";
const CASES = [
    { pending: 1_000, events: 20_000_000 },
    { pending: 100_000, events: 5_000_000 },
    { pending: 1_000_000, events: 3_000_000 },
];
/** Seconds elapsed since `start` (a performance.now() reading). */
function since(start) {
    return (performance.now() - start) / 1000;
}
/** Runs the hold model through Simulation; returns events per second of the run phase only. */
function holdSimulation(pending, events, rng) {
    const sim = new Simulation(pending + 1);
    let remaining = events;
    const hold = sim.register((data, s) => {
        s.after(-Math.log(1 - rng.next()), hold, data);
        if (--remaining === 0)
            s.stop();
    });
    for (let i = 0; i < pending; i++)
        sim.at(-Math.log(1 - rng.next()), hold, i);
    const start = performance.now();
    sim.run();
    const elapsed = since(start);
    if (sim.eventsProcessed !== events || sim.pending !== pending) {
        throw new Error(`hold model: ${sim.eventsProcessed} events, ${sim.pending} pending`);
    }
    return events / elapsed;
}
/**
 * The floor: pop-min then push now + Exp(1) on a bare binary heap of Float64 times (no sequence numbers,
 * kinds, handles or handlers); one op = one pop + one push, matching one simulated event.
 */
function holdFloor(pending, events, rng) {
    const heap = new Float64Array(pending);
    let n = 0;
    const push = (t) => {
        let i = n++;
        while (i > 0) {
            const p = (i - 1) >> 1;
            const pt = heap[p];
            if (pt <= t)
                break;
            heap[i] = pt;
            i = p;
        }
        heap[i] = t;
    };
    const pop = () => {
        const top = heap[0];
        const t = heap[--n];
        let i = 0;
        const half = n >> 1;
        while (i < half) {
            let c = 2 * i + 1;
            let ct = heap[c];
            if (c + 1 < n && heap[c + 1] < ct)
                ct = heap[++c];
            if (t <= ct)
                break;
            heap[i] = ct;
            i = c;
        }
        heap[i] = t;
        return top;
    };
    for (let i = 0; i < pending; i++)
        push(-Math.log(1 - rng.next()));
    const start = performance.now();
    for (let e = 0; e < events; e++) {
        const now = pop();
        push(now - Math.log(1 - rng.next()));
    }
    const elapsed = since(start);
    if (n !== pending)
        throw new Error(`floor heap: ${n} pending`);
    return events / elapsed;
}
function fmtRate(perSecond) {
    return `${(perSecond / 1e6).toFixed(2)} M`;
}
function table(header, rows) {
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
    const line = (cells) => cells.map((x, c) => x.padStart(widths[c] ?? 0)).join(" | ");
    return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}
export async function benchEngine() {
    const streams = new RngStreams(1, 0);
    // Warm both paths so the first measured case is not paying for JIT compilation.
    holdSimulation(1_000, 2_000_000, streams.get("warmup"));
    holdFloor(1_000, 2_000_000, streams.get("warmup"));
    const rows = [];
    for (const c of CASES) {
        const sim = holdSimulation(c.pending, c.events, new RngStreams(1, 0).get("hold"));
        const floor = holdFloor(c.pending, c.events, new RngStreams(1, 0).get("hold"));
        rows.push([c.pending.toLocaleString("en-US"), c.events.toLocaleString("en-US"), fmtRate(sim), fmtRate(floor), (sim / floor).toFixed(2)]);
        // Let the event loop breathe between cases (and keep this async for callers that await benches).
        await new Promise((resolve) => setImmediate(resolve));
    }
    return table(["N pending", "events", "sim events/s", "floor ops/s", "ratio"], rows);
}
