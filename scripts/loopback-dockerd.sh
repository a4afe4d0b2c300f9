#!/usr/bin/env bash
# Starts (or stops) a Docker engine of elastiq's own that gives containers no network but
# loopback: no default bridge, no iptables rules, its own data root, exec root, pid file and
# socket, so that it neither touches nor depends on a system Docker. Containers must then use
# `network_mode: host` (the host's loopback) or share another container's namespace.
#   scripts/loopback-dockerd.sh start   # prints `export DOCKER_HOST=...`
#   scripts/loopback-dockerd.sh stop    # stops it by its pid file
# The data root persists between runs so that the base image stays cached.
set -euo pipefail
data_root=${ELASTIQ_DOCKER_DATA_ROOT:-/var/lib/elastiq-docker}
exec_root=${ELASTIQ_DOCKER_EXEC_ROOT:-/run/elastiq-docker}
socket=$exec_root/docker.sock
pidfile=$exec_root/dockerd.pid
log=${ELASTIQ_DOCKER_LOG:-$data_root/dockerd.log}

case "${1:-}" in
  start)
    mkdir -p "$data_root" "$exec_root"
    if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "export DOCKER_HOST=unix://$socket"; exit 0
    fi
    # setsid: the engine outlives this script; stop it with `stop`, by its pid.
    setsid dockerd --bridge=none --iptables=false --ip6tables=false --ip-forward=false \
      --ip-masq=false --userland-proxy=false --storage-driver=overlay2 \
      --data-root "$data_root" --exec-root "$exec_root" --pidfile "$pidfile" \
      --host "unix://$socket" >"$log" 2>&1 </dev/null &
    for _ in $(seq 1 120); do
      if DOCKER_HOST=unix://$socket docker version >/dev/null 2>&1; then
        echo "export DOCKER_HOST=unix://$socket"; exit 0
      fi
      sleep 0.5
    done
    echo "dockerd did not answer on $socket within 60 s; its log: $log" >&2
    tail -n 20 "$log" >&2
    exit 1
    ;;
  stop)
    [ -s "$pidfile" ] || exit 0
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || exit 0
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.5; done
    echo "dockerd $pid did not stop within 30 s; killing it" >&2
    kill -9 "$pid" 2>/dev/null || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 64 ;;
esac
