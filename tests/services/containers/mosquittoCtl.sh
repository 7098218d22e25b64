#!/usr/bin/env bash
# MOSQUITTO_CTL for the mosquitto container started by the testcontainers setup (tests/services/containers/):
# stop | start | status, the subcommands tests use on infra/local/mosquitto.sh. Needs the docker CLI.
# The container id comes from DRIFTLINE_MOSQUITTO_CONTAINER, which the setup exports with MQTT_URL.
set -euo pipefail
id="${DRIFTLINE_MOSQUITTO_CONTAINER:-}"
if [ -z "$id" ]; then
  echo "mosquittoCtl.sh: DRIFTLINE_MOSQUITTO_CONTAINER is not set; this script only controls the container the testcontainers setup started" >&2
  exit 2
fi

case "${1:-}" in
  # SIGTERM with a long grace: mosquitto writes its persistence file on a clean shutdown (a SIGKILL would lose it).
  stop) docker stop -t 90 "$id" >/dev/null ;;
  start)
    docker start "$id" >/dev/null
    # Docker's port proxy accepts connections before the broker listens: ask the broker itself.
    for _ in $(seq 1 60); do
      if docker exec "$id" mosquitto_sub -t '$SYS/broker/uptime' -C 1 -W 2 >/dev/null 2>&1; then exit 0; fi
      sleep 0.5
    done
    echo "mosquittoCtl.sh: container $id started but the broker did not answer within 30 s; see: docker logs $id" >&2
    exit 1
    ;;
  status) docker inspect -f '{{.State.Status}}' "$id" ;;
  *) echo "usage: $0 stop|start|status" >&2; exit 2 ;;
esac
