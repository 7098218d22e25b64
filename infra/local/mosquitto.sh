#!/usr/bin/env bash
# mosquitto (Debian package) for local runs and CI: install | start | stop | restart | reset | status | config
# Config: infra/local/mosquitto/mosquitto.conf (rendered into the state dir). Port: MOSQUITTO_PORT (1883).
set -euo pipefail
SERVICE=mosquitto
# shellcheck source=daemon.sh
source "$(dirname "${BASH_SOURCE[0]}")/daemon.sh"

HOST=127.0.0.1
PORT="${MOSQUITTO_PORT:-1883}"
STATE="$STATE_ROOT/mosquitto"
PIDFILE="$STATE/mosquitto.pid"
LOGFILE="$STATE/mosquitto.log"
CONF="$STATE/mosquitto.conf"
START_TIMEOUT="${MOSQUITTO_START_TIMEOUT:-30}"

mosquitto_bin() {
  command -v mosquitto 2>/dev/null || { [ -x /usr/sbin/mosquitto ] && echo /usr/sbin/mosquitto; } || return 1
}

install() {
  if mosquitto_bin >/dev/null; then
    log "installed: $("$(mosquitto_bin)" -h 2>/dev/null | head -n1)"
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "mosquitto is not installed and this is not root; run: sudo apt-get install mosquitto"
    sudo="sudo"
  fi
  # Fresh images have empty package lists: update only then, it is the slow part.
  if ! apt-cache policy mosquitto 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    log "apt-get update"
    $sudo apt-get update -qq
  fi
  log "apt-get install mosquitto"
  # The package's postinst tries to start the system service; in containers policy-rc.d denies that, which is
  # what we want: we run our own broker with our own config.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends mosquitto >"$CACHE_ROOT/mosquitto-apt.log" 2>&1 \
    || { mkdir -p "$CACHE_ROOT"; tail -n 30 "$CACHE_ROOT/mosquitto-apt.log" >&2; die "apt-get install mosquitto failed; see $CACHE_ROOT/mosquitto-apt.log"; }
  log "installed: $("$(mosquitto_bin)" -h 2>/dev/null | head -n1)"
}

render_config() {
  mkdir -p "$STATE/data"
  sed -e "s|@STATE_DIR@|$STATE|g" -e "s|@PORT@|$PORT|g" -e "s|@USER@|$(id -un)|g" \
    "$LOCAL_DIR/mosquitto/mosquitto.conf" >"$CONF"
}

start() {
  local bin
  bin=$(mosquitto_bin) || die "mosquitto is not installed; run: $0 install"
  if pid_running "$PIDFILE" mosquitto; then
    wait_port mosquitto "$HOST" "$PORT" "$START_TIMEOUT" "$PIDFILE" mosquitto "$LOGFILE"
    log "already running (pid $(cat "$PIDFILE")) on $HOST:$PORT"
    return 0
  fi
  refuse_foreign_port mosquitto "$HOST" "$PORT"
  render_config
  start_daemon "$PIDFILE" "$LOGFILE" "$bin" -c "$CONF"
  wait_port mosquitto "$HOST" "$PORT" "$START_TIMEOUT" "$PIDFILE" mosquitto "$LOGFILE"
  log "running (pid $(cat "$PIDFILE")) on $HOST:$PORT; config $CONF; log $LOGFILE"
}

# Generous grace: with a large persistence file the final save takes seconds, and a SIGKILL would lose it.
stop() { stop_daemon mosquitto "$PIDFILE" mosquitto 90; }

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  # Sessions and queued QoS 1 messages of every client ever connected live in the persistence file; test
  # and bench clients with random ids leave theirs for persistent_client_expiration, and a file grown to
  # hundreds of MB makes each autosave stall the machine (benchmarks swing). Starts over with none.
  reset) stop; rm -f "$STATE/data/mosquitto.db"; log "persistence file removed (all sessions and queued messages)"; start ;;
  status) status_daemon mosquitto "$PIDFILE" mosquitto "$HOST" "$PORT" ;;
  config) render_config; cat "$CONF" ;;
  *) echo "usage: $0 install|start|stop|restart|reset|status|config" >&2; exit 2 ;;
esac
