#!/usr/bin/env bash
# Builds the images that docker-compose.local.yml and the tests use, from Debian's packages, for
# machines where no image registry answers (docker-compose.yml itself keeps redis, prom/prometheus,
# eclipse-temurin and maven from a registry):
#   forklift-local/base:bookworm        Debian 12 minbase
#   forklift-local/redis:bookworm       + redis-server (Debian's Redis 7.0)
#   forklift-local/prometheus:bookworm  + prometheus (Debian's 2.42) and wget for its health check
#   forklift:local                      + openjdk-17-jre-headless, cli/target/forklift.jar and cli/target/lib
#                                         (build them first: ./mvnw -B -ntp -DskipTests package)
# One `debootstrap --variant=minbase --include=<every package>` makes one root filesystem, kept in
# target/local-images/rootfs and reused while the package list is the same; each image is one
# `docker import` of it without what that image does not use. One layer each, since the vfs storage
# driver copies every layer whole. Packages are installed on this side: containers here have no
# route out. Grafana has no Debian package, so there is no local Grafana image.
#
# Usage: docker/local-images.sh [base|redis|prometheus|forklift]...   (default: all four)
# Needs root, debootstrap, Debian's package mirror (DEBIAN_MIRROR, default http://deb.debian.org/debian)
# and a Docker engine (DOCKER_HOST; docker/engine.sh starts one).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$repo/target/local-images"
rootfs="$work/rootfs"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
packages="openjdk-17-jre-headless,redis-server,prometheus,wget"
recipe="bookworm minbase $packages; users forklift(10001); /data, /prometheus; recipe 1"

die() { echo "docker/local-images.sh: $*" >&2; exit 1; }

images=("$@")
[ ${#images[@]} -gt 0 ] || images=(base redis prometheus forklift)
for image in "${images[@]}"; do
  case "$image" in base | redis | prometheus | forklift) ;; *) die "no image '$image'; choose from base redis prometheus forklift" ;; esac
done
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap and chroot)"
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
  die "no Docker engine answers at ${DOCKER_HOST:-the default socket}; start one: eval \"\$(docker/engine.sh start /tmp/forklift-docker)\""

# The root filesystem every image is cut from: built once, then reused while the recipe is unchanged.
build_rootfs() {
  if [ -f "$work/rootfs.recipe" ] && [ "$(cat "$work/rootfs.recipe")" = "$recipe" ] && [ -d "$rootfs" ]; then
    echo "root filesystem: reusing $rootfs" >&2
    return
  fi
  local t0=$SECONDS
  rm -rf "$rootfs" "$rootfs.new" "$work/rootfs.recipe"
  mkdir -p "$work"
  echo "root filesystem: debootstrap --variant=minbase --include=$packages bookworm (log: $work/debootstrap.log) …" >&2
  if ! debootstrap --variant=minbase --include="$packages" bookworm "$rootfs.new" "$mirror" >"$work/debootstrap.log" 2>&1; then
    die "debootstrap failed; the end of $work/debootstrap.log: $(tail -3 "$work/debootstrap.log" | tr '\n' ' ')"
  fi
  chroot "$rootfs.new" useradd --system --uid 10001 --home-dir /opt/forklift --shell /usr/sbin/nologin forklift
  mkdir -p "$rootfs.new/opt/forklift/tasks" "$rootfs.new/data" "$rootfs.new/prometheus"
  chroot "$rootfs.new" chown redis:redis /data
  chroot "$rootfs.new" chown prometheus:prometheus /prometheus
  # What no image needs: downloaded packages, package lists, documentation, translations.
  rm -rf "$rootfs.new"/var/cache/apt/archives/*.deb "$rootfs.new"/var/lib/apt/lists/* \
    "$rootfs.new"/usr/share/doc/* "$rootfs.new"/usr/share/man/* "$rootfs.new"/usr/share/info/* \
    "$rootfs.new"/usr/share/locale/*
  mv "$rootfs.new" "$rootfs"
  echo "$recipe" >"$work/rootfs.recipe"
  echo "root filesystem: built in $((SECONDS - t0)) s, $(du -sh "$rootfs" | cut -f1)" >&2
}

# import NAME [tar options and members after the root filesystem's] -- [docker import --change options]
import() {
  local name="$1" t0=$SECONDS
  shift
  local tar_args=() change=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do tar_args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  change=("$@")
  docker image rm -f "$name" >/dev/null 2>&1 || true # or the old one lingers, untagged, as a whole vfs copy
  tar --numeric-owner --anchored -C "$rootfs" -c "${tar_args[@]}" |
    docker import "${change[@]}" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'LABEL io.forklift.built-by=docker/local-images.sh' \
      - "$name" >/dev/null
  echo "$name: imported in $((SECONDS - t0)) s, $(docker image inspect --format '{{.Size}}' "$name" | awk '{printf "%d MB", $1/1e6}')" >&2
}

no_java=(--exclude=./usr/lib/jvm)
no_prometheus=(--exclude=./usr/bin/prometheus --exclude=./usr/bin/promtool --exclude=./usr/share/javascript)
no_redis=(--exclude=./usr/bin/redis-server --exclude=./usr/bin/redis-check-aof --exclude=./usr/bin/redis-check-rdb
  --exclude=./usr/bin/redis-benchmark)

base() {
  import forklift-local/base:bookworm "${no_java[@]}" "${no_prometheus[@]}" "${no_redis[@]}" . -- \
    --change 'CMD ["bash"]'
}

redis() {
  import forklift-local/redis:bookworm "${no_java[@]}" "${no_prometheus[@]}" . -- \
    --change 'USER redis' --change 'WORKDIR /data' --change 'EXPOSE 6379' --change 'CMD ["redis-server"]'
}

prometheus() {
  # moment-timezone's raw time-zone data (212 MB); the web UI loads moment-timezone-with-data.min.js
  import forklift-local/prometheus:bookworm "${no_java[@]}" "${no_redis[@]}" \
    --exclude=./usr/share/javascript/moment-timezone/data . -- \
    --change 'USER prometheus' --change 'WORKDIR /prometheus' --change 'EXPOSE 9090' \
    --change 'ENTRYPOINT ["/usr/bin/prometheus"]' \
    --change 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
}

# The same files and settings as the Dockerfile's run stage, on Debian's JRE instead of Temurin's.
forklift() {
  local cli="$repo/cli/target"
  [ -f "$cli/forklift.jar" ] && [ -d "$cli/lib" ] ||
    die "forklift: $cli/forklift.jar or $cli/lib is missing; build them first: ./mvnw -B -ntp -DskipTests package"
  local stage="$work/forklift-stage"
  rm -rf "$stage"
  mkdir -p "$stage/opt/forklift/lib" "$stage/usr/local/bin"
  cp "$cli/forklift.jar" "$stage/opt/forklift/"
  cp "$cli"/lib/*.jar "$stage/opt/forklift/lib/"
  cp "$repo/docker/forklift" "$repo/docker/forklift-health" "$stage/usr/local/bin/"
  chmod 0755 "$stage/usr/local/bin/"*
  import forklift:local "${no_prometheus[@]}" "${no_redis[@]}" . \
    -C "$stage" ./opt/forklift/forklift.jar ./opt/forklift/lib ./usr/local/bin/forklift \
    ./usr/local/bin/forklift-health -- \
    --change 'USER forklift' --change 'WORKDIR /opt/forklift' --change 'EXPOSE 9464 9465' \
    --change 'ENTRYPOINT ["forklift"]' --change 'CMD ["--help"]'
}

build_rootfs
for image in "${images[@]}"; do "$image"; done
