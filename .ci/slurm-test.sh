#!/usr/bin/env bash
# CI: runs the shipped Slurm example (examples/slurm) on a one-node Slurm cluster started here,
# and checks that the merged shards equal the unsharded sweep byte for byte.
#  1. installs slurm-wlm and munge if absent (Debian; needs root), starts munged, slurmctld and
#     slurmd with a private slurm.conf (one node, one partition, its own ports and state dir);
#  2. runs the sweep unsharded, then submits examples/slurm/submit.sh --wait (an array job of
#     SHARDS shards and the merge as an afterok-dependent job);
#  3. compares every file, then stops the daemons it started (also on failure).
# Fails (exit != 0) with the daemons' logs when the cluster does not start or a job fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
[ "$(id -u)" -eq 0 ] || { echo "slurm-test: needs root to start a Slurm cluster" >&2; exit 1; }
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge
fi

work="$(mktemp -d /tmp/densim-slurm.XXXXXX)"
chmod 755 "$work"
mkdir -p "$work/state" "$work/spool" "$work/log" "$work/munge" "$work/run"
started_pids=()
cleanup() {
  status=$?
  for pid in "${started_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started_pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    echo "slurm-test: FAILED (status $status); logs:" >&2
    for f in "$work"/log/* "$work"/jobs/*.out; do [ -f "$f" ] && { echo "== $f" >&2; tail -n 40 "$f" >&2; }; done
    echo "slurm-test: files kept in $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT

# munge: a private key and socket, so a machine's own munged is left alone.
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
socket="$work/munge/munge.socket"
munged --force --key-file="$work/munge/munge.key" --socket="$socket" \
  --pid-file="$work/run/munged.pid" --log-file="$work/log/munged.log" --seed-file="$work/munge/seed"
for _ in $(seq 50); do [ -s "$work/run/munged.pid" ] && break; sleep 0.1; done
started_pids+=("$(cat "$work/run/munged.pid")")

host="$(hostname -s)"
cpus="$(nproc)"
export SLURM_CONF="$work/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=densimci
SlurmctldHost=$host
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=60 State=UP
CONF

slurmctld -i -f "$SLURM_CONF"
for _ in $(seq 100); do [ -s "$work/run/slurmctld.pid" ] && break; sleep 0.1; done
started_pids+=("$(cat "$work/run/slurmctld.pid")")
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do [ -s "$work/run/slurmd.pid" ] && break; sleep 0.1; done
started_pids+=("$(cat "$work/run/slurmd.pid")")

# The node is up when sinfo says idle (60 s at most).
for i in $(seq 120); do
  state="$(sinfo -h -N -o %T 2>/dev/null | head -n1 || true)"
  [ "$state" = "idle" ] && break
  [ "$i" -eq 120 ] && { echo "slurm-test: the node did not come up (state: ${state:-none})" >&2; exit 1; }
  sleep 0.5
done
echo "slurm-test: one-node cluster up ($host, $cpus CPUs)"

# The sweep: 6 small points, 3 shards.
export SCENARIO="scenarios/quickstart.yaml"
export SWEEP_ARGS="--vary apps.orders.replicas=10,20,30 --vary apps.catalog.replicas=10,20 --mode container,vm --replications 1 --set horizon=30m"
export SHARDS=3
export DENSIM="node $root/dist/bin/densim.js"
export OUT="$work/sharded"
# shellcheck disable=SC2086
$DENSIM sweep "$SCENARIO" $SWEEP_ARGS --out "$work/whole" --quiet --workers 1 > /dev/null

mkdir -p "$work/jobs"
timeout 600 examples/slurm/submit.sh --wait --chdir="$root" --output="$work/jobs/%x-%A_%a.out"

whole="$(find "$work/whole" -mindepth 1 -maxdepth 1 -type d)"
merged="$OUT/$(basename "$whole")"
[ -d "$merged" ] || { echo "slurm-test: no merged folder $merged" >&2; ls -la "$OUT" >&2; exit 1; }
n=0
for f in "$whole"/*; do
  cmp "$f" "$merged/$(basename "$f")"
  n=$((n + 1))
done
echo "slurm-test: ok: $n files of the merged Slurm sweep equal the unsharded sweep byte for byte"
