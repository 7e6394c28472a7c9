#!/usr/bin/env bash
# A private Docker engine for the tests and the local images, kept whole in one folder:
#   docker/engine.sh start DIR   starts dockerd with its data, state and socket under DIR, waits until
#                                it answers, and prints the line to eval: `export DOCKER_HOST=unix://DIR/docker.sock …`
#   docker/engine.sh stop DIR    stops that dockerd (and the containers and containerd it runs) and deletes DIR
# It starts as these machines allow: no iptables, no default bridge (user-defined networks still
# work and resolve service names), vfs storage. Needs root and Debian's docker.io. When the engine
# cannot start, `start` prints one line saying why on stderr and exits 3.
set -euo pipefail

usage() { echo "usage: docker/engine.sh start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd="$1"
dir="$2"

fail() { echo "$*" >&2; exit 3; }

start() {
  [ "$(id -u)" -eq 0 ] || fail "dockerd needs root (this is uid $(id -u))"
  command -v dockerd >/dev/null || fail "dockerd is not installed: apt-get install docker.io"
  command -v docker >/dev/null || fail "the docker client is not installed: apt-get install docker.io"
  mkdir -p "$dir/data" "$dir/exec" "$dir/client"
  dir="$(cd "$dir" && pwd)"
  if [ -f "$dir/dockerd.pid" ] && kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null; then
    echo "docker/engine.sh: reusing the dockerd (pid $(cat "$dir/dockerd.pid")) already running in $dir" >&2
    exports
    return
  fi
  echo '{}' >"$dir/daemon.json" # not the host's /etc/docker/daemon.json
  # 10.234.0.0/16 for compose networks: clear of NetworkCutIT's 10.231 and forklift local --hosts' 10.233.
  setsid dockerd \
    --config-file "$dir/daemon.json" \
    --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
    -H "unix://$dir/docker.sock" \
    --iptables=false --ip-masq=false --bridge=none --storage-driver=vfs \
    --default-address-pool base=10.234.0.0/16,size=24 \
    --log-level warn >"$dir/dockerd.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$dir/dockerd.launcher.pid"
  export DOCKER_HOST="unix://$dir/docker.sock" DOCKER_CONFIG="$dir/client"
  local deadline=$((SECONDS + 30))
  until docker version --format '{{.Server.Version}}' >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      fail "dockerd exited at start: $(grep -v '^\s*$' "$dir/dockerd.log" | tail -1)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      kill "$pid" 2>/dev/null || true
      fail "dockerd did not answer within 30 s: $(tail -1 "$dir/dockerd.log")"
    fi
    sleep 0.2
  done
  exports
}

# DOCKER_HOST and a client configuration of the engine's own; for Testcontainers: this engine's
# published ports are on this machine (this VM has a /.dockerenv, which would make Testcontainers
# look for a default bridge that this engine lacks), and no Ryuk reaper or start-up checks, which
# pull images: stop deletes everything the engine made anyway.
exports() {
  echo "export DOCKER_HOST=unix://$dir/docker.sock DOCKER_CONFIG=$dir/client" \
    "TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_CHECKS_DISABLE=true"
}

stop() {
  [ -d "$dir" ] || return 0
  local pid=""
  [ -f "$dir/dockerd.pid" ] && pid="$(cat "$dir/dockerd.pid")"
  [ -z "$pid" ] && [ -f "$dir/dockerd.launcher.pid" ] && pid="$(cat "$dir/dockerd.launcher.pid")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    # dockerd stops its containers (10 s each at most, in parallel) and its containerd, then exits.
    kill -TERM "$pid"
    local deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "docker/engine.sh: dockerd (pid $pid) did not stop within 60 s of SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  # After a hard stop its containerd (and the shims under it) may outlive it: end them by their pid file.
  local cpid
  if [ -f "$dir/exec/containerd/containerd.pid" ]; then
    cpid="$(cat "$dir/exec/containerd/containerd.pid")"
    if [ -n "$cpid" ] && kill -0 "$cpid" 2>/dev/null; then
      kill -KILL "$cpid" 2>/dev/null || true
    fi
    # Its shims run on as children of init; each names this engine's own containerd socket.
    local shim
    for shim in $(pgrep -f -- "-address $dir/exec/containerd/containerd.sock" || true); do
      kill -KILL "$shim" 2>/dev/null || true
    done
  fi
  # Anything still mounted under DIR (container rootfs, network namespaces) after a hard stop
  awk -v d="$dir" '$2 ~ "^"d {print $2}' /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$dir"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
