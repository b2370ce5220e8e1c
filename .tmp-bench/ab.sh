# usage: ab.sh V1 V2 ... ; builds each variant into its own dir, then runs alternately 3 rounds
cd /work/main
cp sim/engine/event-queue.ts .tmp-bench/event-queue.cur.bak
for v in "$@"; do
  cp .tmp-bench/event-queue.$v.ts sim/engine/event-queue.ts
  rm -rf .tmp-bench/ab-$v && npx tsc --outDir /work/main/.tmp-bench/ab-$v --rootDir . --module NodeNext --moduleResolution NodeNext --target ES2022 --strict --noUncheckedIndexedAccess --skipLibCheck --esModuleInterop --types node .tmp-bench/qbench.ts bench/main.ts
done
cp .tmp-bench/event-queue.cur.bak sim/engine/event-queue.ts
for r in 1 2 3; do for v in "$@"; do echo "== $v"; node .tmp-bench/ab-$v/.tmp-bench/qbench.js | tail -3; node .tmp-bench/ab-$v/bench/main.js | tail -4; done; done
