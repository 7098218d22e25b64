# shellcheck shell=bash
# Helpers shared by the service scripts in infra/local/: paths, background start with a pid file,
# wait-for-port, graceful stop. Sourced, never executed.

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2034  # used by the scripts that source this file
STATE_ROOT="${DRIFTLINE_LOCAL_STATE:-$LOCAL_DIR/.state}"
CACHE_ROOT="${DRIFTLINE_LOCAL_CACHE:-$LOCAL_DIR/.cache}"
# shellcheck disable=SC2034
BIN_DIR="$CACHE_ROOT/bin"

log() { printf '[%s] %s\n' "${SERVICE:-infra}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# pid_running PIDFILE MARKER: true when the pid file names a live process whose command line contains MARKER
# (so a stale pid file reused by an unrelated process is not mistaken for our service).
pid_running() {
  local pidfile=$1 marker=$2 pid
  [ -s "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  pid_alive "$pid" || return 1
  { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$marker"
}

# pid_alive PID: the process exists and is not a zombie (an exited daemon waiting for its parent to reap it).
pid_alive() {
  [ -r "/proc/$1/stat" ] || return 1
  local state
  state=$(sed -E 's/^[0-9]+ \(.*\) ([A-Z]).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# start_daemon PIDFILE LOGFILE CMD...: runs CMD in its own session (a Ctrl-C in the caller's terminal or the
# end of the caller's shell does not kill it), stdout+stderr appended to LOGFILE.
start_daemon() {
  local pidfile=$1 logfile=$2; shift 2
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  printf '\n=== %s start: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$logfile"
  setsid "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

# wait_port NAME HOST PORT TIMEOUT_S PIDFILE MARKER LOGFILE: waits until the port answers; fails early if the
# process died, and names the log file either way.
wait_port() {
  local name=$1 host=$2 port=$3 timeout_s=$4 pidfile=$5 marker=$6 logfile=$7
  local deadline=$((SECONDS + timeout_s))
  while ! port_open "$host" "$port"; do
    if ! pid_running "$pidfile" "$marker"; then
      log "$name exited before $host:$port answered. Last lines of $logfile:"
      tail -n 30 "$logfile" >&2 || true
      die "$name failed to start; see $logfile"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name did not answer on $host:$port within ${timeout_s}s. Last lines of $logfile:"
      tail -n 30 "$logfile" >&2 || true
      die "$name start timed out after ${timeout_s}s; see $logfile"
    fi
    sleep 0.2
  done
}

# stop_daemon NAME PIDFILE MARKER GRACE_S: SIGTERM (lets brokers flush their state), then SIGKILL after GRACE_S.
stop_daemon() {
  local name=$1 pidfile=$2 marker=$3 grace_s=$4 pid
  if ! pid_running "$pidfile" "$marker"; then
    rm -f "$pidfile"
    log "$name not running"
    return 0
  fi
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace_s))
  while pid_alive "$pid"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name (pid $pid) ignored SIGTERM for ${grace_s}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while pid_alive "$pid"; do sleep 0.1; done
      break
    fi
    sleep 0.1
  done
  rm -f "$pidfile"
  log "$name stopped"
}

# status_daemon NAME PIDFILE MARKER HOST PORT: prints one line; exit 0 running, 3 stopped (LSB convention).
status_daemon() {
  local name=$1 pidfile=$2 marker=$3 host=$4 port=$5
  if pid_running "$pidfile" "$marker"; then
    if port_open "$host" "$port"; then
      echo "$name: running (pid $(cat "$pidfile")) on $host:$port"
    else
      echo "$name: process alive (pid $(cat "$pidfile")) but $host:$port not answering"
    fi
    return 0
  fi
  echo "$name: stopped"
  return 3
}

# refuse_foreign_port NAME HOST PORT: a port already taken by something that is not ours is a clear error,
# not a silent "already running".
refuse_foreign_port() {
  local name=$1 host=$2 port=$3
  if port_open "$host" "$port"; then
    die "$host:$port is already in use by another process (not the $name started by infra/local). Stop it, or set the port variable described in infra/local/README.md"
  fi
}

# stamp_matches FILE VALUE / write_stamp FILE VALUE: an install step is skipped when its inputs are unchanged.
stamp_matches() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
write_stamp() { mkdir -p "$(dirname "$1")"; printf '%s' "$2" >"$1"; }

# hash_files FILE...: one short digest of the given files' contents (the install inputs).
hash_files() { cat "$@" | sha256sum | cut -c1-16; }
