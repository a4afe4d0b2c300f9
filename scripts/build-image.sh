#!/usr/bin/env bash
# Builds the elastiq image (every program: worker, cloud-sim, dashboard, cli) from this checkout.
# With the local base (scripts/build-base-image.sh) present, the build runs with no network at
# all: the tools are in the base and npm installs offline from the host's npm cache, copied
# (hard-linked) into the build context for the build's duration. Without it, the Dockerfile's
# default public base is used and the build fetches what it needs.
# Usage: scripts/build-image.sh [tag]   (default elastiq:local; ELASTIQ_BASE_IMAGE picks the base)
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-elastiq:local}
base=${ELASTIQ_BASE_IMAGE:-elastiq-base:trixie}
cache=.npm-offline-cache

if docker image inspect "$base" >/dev/null 2>&1; then
  npm_cache=$(npm config get cache)
  [ -d "$npm_cache/_cacache" ] || { echo "no npm cache at $npm_cache/_cacache: run npm install on this machine first" >&2; exit 1; }
  rm -rf "$cache"
  trap 'rm -rf "$cache"' EXIT
  mkdir -p "$cache"
  cp -al "$npm_cache/_cacache" "$cache/_cacache" 2>/dev/null || cp -a "$npm_cache/_cacache" "$cache/_cacache"
  docker build --network none --build-arg "BASE=$base" -t "$tag" .
else
  echo "local base image $base is not present: building on the Dockerfile's default base (needs a registry)" >&2
  docker build -t "$tag" .
fi
