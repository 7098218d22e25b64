#!/usr/bin/env bash
# Single-node KRaft Kafka from Maven Central jars, for local runs and CI: install | start | stop | restart | status
# Config: infra/local/kafka/server.properties + log4j2.xml. Ports: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093).
set -euo pipefail
SERVICE=kafka
# shellcheck source=daemon.sh
source "$(dirname "${BASH_SOURCE[0]}")/daemon.sh"

HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
STATE="$STATE_ROOT/kafka"
PIDFILE="$STATE/kafka.pid"
LOGFILE="$STATE/kafka.out"
CONF="$STATE/server.properties"
LIB="$CACHE_ROOT/kafka/lib"
STAMP="$CACHE_ROOT/kafka/installed"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
# Small heap: the broker only serves tests and benchmarks on a 2-core machine shared with the pipeline.
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
MARKER=kafka.Kafka

need() { command -v "$1" >/dev/null || die "$1 not found; install $2 (Debian: apt-get install $2)"; }

install() {
  need java openjdk-17-jre-headless
  local want
  want=$(hash_files "$LOCAL_DIR/kafka/pom.xml")
  if stamp_matches "$STAMP" "$want" && compgen -G "$LIB/kafka_2.13-*.jar" >/dev/null; then
    log "installed: $(basename "$(compgen -G "$LIB/kafka_2.13-*.jar")" .jar) ($(find "$LIB" -name '*.jar' | wc -l) jars in $LIB)"
    return 0
  fi
  need mvn maven
  log "fetching Kafka jars from Maven Central (mvn dependency:copy-dependencies)"
  local tmp="$CACHE_ROOT/kafka/lib.tmp" mvnlog="$CACHE_ROOT/kafka/mvn.log"
  rm -rf "$tmp"; mkdir -p "$tmp"
  local repo_opt=()
  [ -n "${MAVEN_REPO_LOCAL:-}" ] && repo_opt=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
  mvn -B -ntp -f "$LOCAL_DIR/kafka/pom.xml" "${repo_opt[@]}" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"$mvnlog" 2>&1 \
    || { tail -n 40 "$mvnlog" >&2; die "mvn dependency:copy-dependencies failed; see $mvnlog"; }
  rm -rf "$LIB"; mv "$tmp" "$LIB"
  write_stamp "$STAMP" "$want"
  log "installed: $(find "$LIB" -name '*.jar' | wc -l) jars in $LIB"
}

render_config() {
  mkdir -p "$STATE/data"
  sed -e "s|@STATE_DIR@|$STATE|g" -e "s|@PORT@|$PORT|g" -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
    "$LOCAL_DIR/kafka/server.properties" >"$CONF"
}

java_opts() {
  # shellcheck disable=SC2206
  local heap=($HEAP_OPTS)
  printf '%s\n' "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dkafka.logs.dir="$STATE" \
    -Dlog4j2.configurationFile="$LOCAL_DIR/kafka/log4j2.xml"
}

# A KRaft log dir must be formatted once with a cluster id before the first start.
format_storage() {
  [ -f "$STATE/data/meta.properties" ] && return 0
  local id
  # Kafka's cluster id is 16 random bytes in URL-safe base64 without padding (what StorageTool random-uuid prints).
  id=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  echo "$id" >"$STATE/cluster-id"
  log "formatting KRaft storage (cluster id $id)"
  local opts; mapfile -t opts < <(java_opts)
  java "${opts[@]}" -cp "$LIB/*" kafka.tools.StorageTool format -t "$id" -c "$CONF" >>"$LOGFILE" 2>&1 \
    || { tail -n 30 "$LOGFILE" >&2; die "kafka storage format failed; see $LOGFILE"; }
}

start() {
  compgen -G "$LIB/kafka_2.13-*.jar" >/dev/null || die "Kafka jars missing in $LIB; run: $0 install"
  if pid_running "$PIDFILE" "$MARKER"; then
    wait_port kafka "$HOST" "$PORT" "$START_TIMEOUT" "$PIDFILE" "$MARKER" "$LOGFILE"
    log "already running (pid $(cat "$PIDFILE")) on $HOST:$PORT"
    return 0
  fi
  refuse_foreign_port kafka "$HOST" "$PORT"
  refuse_foreign_port "kafka controller" "$HOST" "$CONTROLLER_PORT"
  render_config
  format_storage
  local opts; mapfile -t opts < <(java_opts)
  start_daemon "$PIDFILE" "$LOGFILE" java "${opts[@]}" -cp "$LIB/*" "$MARKER" "$CONF"
  wait_port kafka "$HOST" "$PORT" "$START_TIMEOUT" "$PIDFILE" "$MARKER" "$LOGFILE"
  log "running (pid $(cat "$PIDFILE")) on $HOST:$PORT; broker log $STATE/server.log"
}

# Kafka shuts down cleanly on SIGTERM (flushes logs, so the next start skips log recovery).
stop() { stop_daemon kafka "$PIDFILE" "$MARKER" 60; }

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status_daemon kafka "$PIDFILE" "$MARKER" "$HOST" "$PORT" ;;
  *) echo "usage: $0 install|start|stop|restart|status" >&2; exit 2 ;;
esac
