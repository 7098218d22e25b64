#!/usr/bin/env bash
# Google's Pub/Sub fake (pstest, our small Go wrapper in infra/local/pstest): install | start | stop | restart | status
# In memory only: a stop forgets every topic, subscription and message. Port: PUBSUB_PORT (8085).
set -euo pipefail
SERVICE=pubsub
# shellcheck source=daemon.sh
source "$(dirname "${BASH_SOURCE[0]}")/daemon.sh"

HOST=127.0.0.1
PORT="${PUBSUB_PORT:-8085}"
STATE="$STATE_ROOT/pubsub"
PIDFILE="$STATE/pstest.pid"
LOGFILE="$STATE/pstest.log"
SRC="$LOCAL_DIR/pstest"
BIN="$BIN_DIR/pstest-server"
STAMP="$CACHE_ROOT/pstest.installed"
START_TIMEOUT="${PUBSUB_START_TIMEOUT:-30}"

install() {
  command -v go >/dev/null || die "go not found; install Go >= 1.26 (https://go.dev/dl/) and put it on PATH"
  local want
  want="$(go env GOVERSION) $(hash_files "$SRC/go.mod" "$SRC/go.sum" "$SRC/main.go")"
  if stamp_matches "$STAMP" "$want" && [ -x "$BIN" ]; then
    log "installed: $BIN (up to date)"
    return 0
  fi
  log "go build pstest-server (cloud.google.com/go/pubsub/v2/pstest)"
  mkdir -p "$BIN_DIR"
  local buildlog="$CACHE_ROOT/pstest-build.log"
  (cd "$SRC" && go build -buildvcs=false -o "$BIN.tmp" .) >"$buildlog" 2>&1 \
    || { tail -n 40 "$buildlog" >&2; die "go build of $SRC failed; see $buildlog"; }
  mv "$BIN.tmp" "$BIN"
  write_stamp "$STAMP" "$want"
  log "installed: $BIN"
}

start() {
  [ -x "$BIN" ] || die "$BIN missing; run: $0 install"
  if pid_running "$PIDFILE" pstest-server; then
    wait_port pubsub "$HOST" "$PORT" "$START_TIMEOUT" "$PIDFILE" pstest-server "$LOGFILE"
    log "already running (pid $(cat "$PIDFILE")) on $HOST:$PORT"
    return 0
  fi
  refuse_foreign_port pubsub "$HOST" "$PORT"
  start_daemon "$PIDFILE" "$LOGFILE" "$BIN" -host "$HOST" -port "$PORT"
  wait_port pubsub "$HOST" "$PORT" "$START_TIMEOUT" "$PIDFILE" pstest-server "$LOGFILE"
  log "running (pid $(cat "$PIDFILE")) on $HOST:$PORT; log $LOGFILE"
}

stop() { stop_daemon pubsub "$PIDFILE" pstest-server 10; }

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status_daemon pubsub "$PIDFILE" pstest-server "$HOST" "$PORT" ;;
  *) echo "usage: $0 install|start|stop|restart|status" >&2; exit 2 ;;
esac
