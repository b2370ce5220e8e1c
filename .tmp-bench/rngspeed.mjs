import seedrandom from "seedrandom";
function bench(name, f) {
  let s = 0; const N = 20_000_000;
  for (let i = 0; i < 1e6; i++) s += f();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) s += f();
  const dt = performance.now() - t0;
  console.log(name, (N / dt / 1e3).toFixed(1), "M/s", s > 0);
}
for (let r = 0; r < 2; r++) {
bench("alea", seedrandom.alea("x"));
bench("xor4096", seedrandom.xor4096("x"));
bench("alea.double", seedrandom.alea("x").double);
bench("xor4096.double", seedrandom.xor4096("x").double);
bench("xor128", seedrandom.xor128("x"));
bench("Math.random", Math.random);
}
