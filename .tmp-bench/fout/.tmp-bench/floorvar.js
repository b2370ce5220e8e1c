import { RngStreams } from "../sim/engine/index.js";
function floorPopPush(N, E) {
    const rng = new RngStreams(1, 0).get("hold");
    const heap = new Float64Array(N);
    let n = 0;
    const push = (t) => { let i = n++; while (i > 0) {
        const p = (i - 1) >> 1;
        const pt = heap[p];
        if (pt <= t)
            break;
        heap[i] = pt;
        i = p;
    } heap[i] = t; };
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
    for (let i = 0; i < N; i++)
        push(-Math.log(1 - rng.next()));
    const t0 = performance.now();
    for (let e = 0; e < E; e++) {
        const now = pop();
        push(now - Math.log(1 - rng.next()));
    }
    return E / (performance.now() - t0) / 1e3;
}
function floorReplace(N, E, stride) {
    const rng = new RngStreams(1, 0).get("hold");
    const heap = new Float64Array(N * stride);
    let n = 0;
    const push = (t) => { let i = n++; while (i > 0) {
        const p = (i - 1) >> 1;
        const pt = heap[p * stride];
        if (pt <= t)
            break;
        heap[i * stride] = pt;
        i = p;
    } heap[i * stride] = t; };
    const replace = (t) => {
        let i = 0;
        const half = n >> 1;
        while (i < half) {
            let c = 2 * i + 1;
            let ct = heap[c * stride];
            if (c + 1 < n && heap[(c + 1) * stride] < ct)
                ct = heap[++c * stride];
            if (t <= ct)
                break;
            heap[i * stride] = ct;
            i = c;
        }
        heap[i * stride] = t;
    };
    for (let i = 0; i < N; i++)
        push(-Math.log(1 - rng.next()));
    const t0 = performance.now();
    for (let e = 0; e < E; e++) {
        const now = heap[0];
        replace(now - Math.log(1 - rng.next()));
    }
    return E / (performance.now() - t0) / 1e3;
}
for (const N of [1000, 100000, 1000000]) {
    console.log(N, "poppush", floorPopPush(N, 3e6).toFixed(2), "replace1", floorReplace(N, 3e6, 1).toFixed(2), "replace2", floorReplace(N, 3e6, 2).toFixed(2));
}
