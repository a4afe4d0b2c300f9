#!/usr/bin/env bash
# Installs the system packages elastiq's tests and demo use: redis-server, OpenSSH's sshd and
# client, ansible (ansible-playbook), chromium (dashboard browser test).
# As root it runs apt-get; otherwise it names what is missing and how to get it.
set -euo pipefail
need=()
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null || need+=(openssh-client)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
command -v ansible-playbook >/dev/null || need+=(ansible)
if [ "${ELASTIQ_SKIP_CHROMIUM:-}" != 1 ]; then command -v chromium >/dev/null || need+=(chromium); fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "elastiq needs these Debian packages: ${need[*]}" >&2
  echo "install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# sshd's privilege-separation directory, normally created by the service unit.
mkdir -p /run/sshd
