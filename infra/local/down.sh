#!/usr/bin/env bash
# Stops driftline's local services (all, or those in DRIFTLINE_LOCAL_SERVICES), in parallel.
#   infra/local/down.sh            stop; keep data (mosquitto sessions, Kafka topics) and caches
#   infra/local/down.sh --purge    stop and delete the state dir (data, logs); caches stay
set -uo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
services="${DRIFTLINE_LOCAL_SERVICES:-mosquitto kafka pubsub bigquery}"
pids=()
for svc in $services; do
  bash "$dir/$svc.sh" stop &
  pids+=("$!")
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
if [ "${1:-}" = --purge ]; then
  rm -rf "${DRIFTLINE_LOCAL_STATE:-$dir/.state}"
  echo "[infra] state dir removed" >&2
fi
exit "$rc"
