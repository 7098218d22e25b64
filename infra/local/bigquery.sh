#!/usr/bin/env bash
# goccy/bigquery-emulator, built from the Go module proxy: install | start | stop | restart | status
# Version pinned in infra/local/bigquery/go.mod (tool directive). In memory: a stop forgets all datasets.
# Ports: BIGQUERY_PORT (9050, REST), BIGQUERY_GRPC_PORT (9060, Storage API). Project: BIGQUERY_PROJECT_ID (test).
set -euo pipefail
SERVICE=bigquery
# shellcheck source=daemon.sh
source "$(dirname "${BASH_SOURCE[0]}")/daemon.sh"

HOST=127.0.0.1
PORT="${BIGQUERY_PORT:-9050}"
GRPC_PORT="${BIGQUERY_GRPC_PORT:-9060}"
PROJECT="${BIGQUERY_PROJECT_ID:-test}"
STATE="$STATE_ROOT/bigquery"
PIDFILE="$STATE/bigquery-emulator.pid"
LOGFILE="$STATE/bigquery-emulator.log"
SRC="$LOCAL_DIR/bigquery"
BIN="$BIN_DIR/bigquery-emulator"
STAMP="$CACHE_ROOT/bigquery-emulator.installed"
PKG=github.com/goccy/bigquery-emulator/cmd/bigquery-emulator
START_TIMEOUT="${BIGQUERY_START_TIMEOUT:-60}"
# The cold build compiles a very large generated GoogleSQL package: several GB of RAM per compile job.
# -p caps parallel compile jobs (2 fits a 2-core, 24 GiB machine; use 1 on small-memory machines).
BUILD_JOBS="${BIGQUERY_BUILD_JOBS:-2}"

install() {
  command -v go >/dev/null || die "go not found; install Go >= 1.25 (https://go.dev/dl/) and put it on PATH"
  local want
  want="$(go env GOVERSION) $(hash_files "$SRC/go.mod" "$SRC/go.sum")"
  if stamp_matches "$STAMP" "$want" && [ -x "$BIN" ]; then
    log "installed: $BIN (up to date)"
    return 0
  fi
  log "go build $PKG (cold: several minutes; -p=$BUILD_JOBS)"
  mkdir -p "$BIN_DIR"
  local buildlog="$CACHE_ROOT/bigquery-emulator-build.log"
  # A wrapper module with a `tool` directive rather than `go install pkg@version`: the latter asks the proxy for
  # the module's version list (deprecation check), which some registry mirrors refuse (403).
  (cd "$SRC" && go build -p "$BUILD_JOBS" -buildvcs=false -o "$BIN.tmp" "$PKG") >"$buildlog" 2>&1 \
    || { tail -n 40 "$buildlog" >&2; die "go build of $PKG failed; see $buildlog"; }
  mv "$BIN.tmp" "$BIN"
  write_stamp "$STAMP" "$want"
  log "installed: $BIN"
}

start() {
  [ -x "$BIN" ] || die "$BIN missing; run: $0 install"
  if pid_running "$PIDFILE" bigquery-emulator; then
    wait_port bigquery "$HOST" "$PORT" "$START_TIMEOUT" "$PIDFILE" bigquery-emulator "$LOGFILE"
    log "already running (pid $(cat "$PIDFILE")) on $HOST:$PORT"
    return 0
  fi
  refuse_foreign_port bigquery "$HOST" "$PORT"
  refuse_foreign_port "bigquery grpc" "$HOST" "$GRPC_PORT"
  start_daemon "$PIDFILE" "$LOGFILE" "$BIN" --project="$PROJECT" --host="$HOST" --port="$PORT" --grpc-port="$GRPC_PORT"
  wait_port bigquery "$HOST" "$PORT" "$START_TIMEOUT" "$PIDFILE" bigquery-emulator "$LOGFILE"
  log "running (pid $(cat "$PIDFILE")) on $HOST:$PORT (grpc $GRPC_PORT), project $PROJECT; log $LOGFILE"
}

stop() { stop_daemon bigquery "$PIDFILE" bigquery-emulator 10; }

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status_daemon bigquery "$PIDFILE" bigquery-emulator "$HOST" "$PORT" ;;
  *) echo "usage: $0 install|start|stop|restart|status" >&2; exit 2 ;;
esac
