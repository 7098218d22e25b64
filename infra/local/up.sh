# shellcheck shell=bash
# Installs (if needed) and starts driftline's real local services, in parallel, then exports the environment
# variables the tests read. Meant to be SOURCED (.ci/run does):
#
#   source infra/local/up.sh                                  # all four services
#   DRIFTLINE_LOCAL_SERVICES="mosquitto kafka" source infra/local/up.sh
#
# Returns non-zero (without exiting your shell) when a service fails to install or start; the failing script
# names its log file. It leaves the caller's shell options alone (.ci/run runs with set -euo pipefail).

_driftline_local_up() {
  # Options changed here are restored on return (bash >= 4.4), so the caller's set -e/-u stay as they were.
  local -
  set +e
  local dir services state t0 svc i rc s
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  services="${DRIFTLINE_LOCAL_SERVICES:-mosquitto kafka pubsub bigquery}"
  state="${DRIFTLINE_LOCAL_STATE:-$dir/.state}"
  mkdir -p "$state"
  rm -f "$state"/up-*.result
  t0=$SECONDS

  local -a pids=() names=() failed=() up=()
  for svc in $services; do
    if [ ! -f "$dir/$svc.sh" ]; then
      echo "[infra] unknown service '$svc' in DRIFTLINE_LOCAL_SERVICES (known: mosquitto kafka pubsub bigquery)" >&2
      return 2
    fi
    # Each service installs then starts in its own background job, so the slow parts overlap
    # (Maven download, two Go builds, apt). Its timing goes to the state dir for the summary below.
    (
      s=$SECONDS
      if bash "$dir/$svc.sh" install && bash "$dir/$svc.sh" start; then rc=0; else rc=$?; fi
      echo "$rc $((SECONDS - s))" >"$state/up-$svc.result"
      exit "$rc"
    ) &
    pids+=("$!"); names+=("$svc")
  done

  for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then up+=("${names[$i]}"); else failed+=("${names[$i]}"); fi
  done

  for svc in "${names[@]}"; do
    [ -f "$state/up-$svc.result" ] || continue
    read -r rc s <"$state/up-$svc.result"
    echo "[infra] $svc: $([ "$rc" = 0 ] && echo up || echo FAILED) after ${s}s" >&2
  done
  echo "[infra] local services took $((SECONDS - t0))s" >&2

  # Export only what actually came up, so a test looking for a failed service finds nothing (and fails under CI).
  local u
  for u in "${up[@]}"; do
    case "$u" in
      mosquitto)
        export MQTT_URL="mqtt://127.0.0.1:${MOSQUITTO_PORT:-1883}"
        # Tests stop and start the broker through this (e.g. the no-loss broker restart test).
        export MOSQUITTO_CTL="$dir/mosquitto.sh"
        ;;
      kafka) export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}" ;;
      pubsub)
        export PUBSUB_EMULATOR_HOST="127.0.0.1:${PUBSUB_PORT:-8085}"
        export PUBSUB_PROJECT_ID="${PUBSUB_PROJECT_ID:-test}"
        ;;
      bigquery)
        export BIGQUERY_EMULATOR_HOST="http://127.0.0.1:${BIGQUERY_PORT:-9050}"
        export BIGQUERY_PROJECT_ID="${BIGQUERY_PROJECT_ID:-test}"
        ;;
    esac
  done

  # Emulators need no credentials; without this, google-auth probes the GCE metadata server on every client
  # (slow, and a MetadataLookupWarning per test) since there is none here.
  case " ${up[*]} " in
    *" pubsub "* | *" bigquery "*) export METADATA_SERVER_DETECTION="${METADATA_SERVER_DETECTION:-none}" ;;
  esac

  if [ "${#failed[@]}" -gt 0 ]; then
    echo "[infra] FAILED to bring up: ${failed[*]} (see the messages above for each log file)" >&2
    return 1
  fi
  return 0
}

if (return 0 2>/dev/null); then
  _driftline_local_up && _driftline_local_up_rc=0 || _driftline_local_up_rc=$?
  unset -f _driftline_local_up
  # `return` with the status keeps a failing `source` visible to the caller (and fatal under set -e).
  eval "unset _driftline_local_up_rc; return $_driftline_local_up_rc"
else
  echo "[infra] note: up.sh was executed, not sourced; the services run but these exports stay in this process:" >&2
  _driftline_local_up || exit $?
  env | grep -E '^(MQTT_URL|MOSQUITTO_CTL|KAFKA_BROKERS|PUBSUB_EMULATOR_HOST|PUBSUB_PROJECT_ID|BIGQUERY_EMULATOR_HOST|BIGQUERY_PROJECT_ID|METADATA_SERVER_DETECTION)=' | sed 's/^/export /'
fi
