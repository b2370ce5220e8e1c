#!/usr/bin/env bash
# Submits a sharded densim sweep to Slurm: an array job of SHARDS tasks (sweep.sbatch), then the
# merge (merge.sbatch) as a job that starts only after every shard succeeded (afterok).
#   SCENARIO=scenarios/quickstart.yaml SHARDS=4 SWEEP_ARGS="--vary apps.orders.replicas=20,40,60,80" \
#     examples/slurm/submit.sh [--wait]
# --wait: block until the merge has finished, and exit with its status (as CI does).
# Any other arguments are passed to both sbatch calls (e.g. --partition=batch, --account=...).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${SCENARIO:?set SCENARIO to the scenario file}"
export SHARDS="${SHARDS:-4}"
wait_flag=()
extra=()
for a in "$@"; do
  if [ "$a" = "--wait" ]; then wait_flag=(--wait); else extra+=("$a"); fi
done
array_id="$(sbatch --parsable --export=ALL --array="0-$((SHARDS - 1))" "${extra[@]}" "$here/sweep.sbatch")"
array_id="${array_id%%;*}"
echo "submitted shards: job array $array_id (0-$((SHARDS - 1)))"
# --kill-on-invalid-dep: a failed shard cancels the merge instead of leaving it pending forever.
merge_out="$(sbatch --parsable --export=ALL --dependency="afterok:$array_id" --kill-on-invalid-dep=yes "${wait_flag[@]}" "${extra[@]}" "$here/merge.sbatch")" || {
  status=$?
  echo "merge job failed (status $status)" >&2
  exit "$status"
}
echo "submitted merge: job ${merge_out%%;*} (after every shard of $array_id succeeded)"
