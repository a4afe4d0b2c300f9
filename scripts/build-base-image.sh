#!/usr/bin/env bash
# Builds elastiq's local base image without any image registry: debootstrap a Debian root file
# system from Debian's package archive (Node >= 20, sshd, ansible, redis-server all from
# Debian packages), then `docker import` it. Every apt download happens here, on the host, so
# that `docker build --network none` needs no network inside a container.
# Skips the work when the image is already present (debootstrap takes minutes).
# Usage: scripts/build-base-image.sh [image-tag]   (default elastiq-base:trixie)
set -euo pipefail
image=${1:-${ELASTIQ_BASE_IMAGE:-elastiq-base:trixie}}
suite=${ELASTIQ_BASE_SUITE:-trixie}
mirror=${ELASTIQ_DEBIAN_MIRROR:-http://deb.debian.org/debian}

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image is present; not rebuilding (docker rmi $image to force)"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "building $image needs debootstrap: apt-get install -y debootstrap" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "debootstrap needs root: run this script as root" >&2; exit 1; }

# Debian 13 (trixie) carries nodejs 20; npm builds the workspace; ansible runs setup (ansible-core
# alone lacks the ansible.posix collection whose jsonl callback elastiq reads results from);
# redis-server lets the compose stack's Redis use this image too; tini reaps sshd children.
packages="nodejs npm openssh-server openssh-client ansible redis-server ca-certificates tini procps"
rootfs=$(mktemp -d "${TMPDIR:-/var/tmp}/elastiq-base.XXXXXX")
cleanup() { umount -R "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" 2>/dev/null || true; rm -rf "$rootfs"; }
trap cleanup EXIT

started=$(date +%s)
# debootstrap's own --include does not resolve npm's long dependency chain: apt in the chroot does.
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror"
mount -t proc proc "$rootfs/proc"
# shellcheck disable=SC2086 # the package list is meant to split into words
chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $packages >/dev/null && apt-get clean"
umount "$rootfs/proc"
bootstrapped=$(date +%s)
# No package lists, archives or machine identity in the image.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/etc/ssh/ssh_host_* \
  "$rootfs"/etc/machine-id "$rootfs"/var/log/*.log
mkdir -p "$rootfs/run/sshd"
tar -C "$rootfs" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
finished=$(date +%s)
echo "built $image ($suite): debootstrap $((bootstrapped - started)) s, import $((finished - bootstrapped)) s"
