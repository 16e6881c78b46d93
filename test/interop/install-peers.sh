#!/usr/bin/env bash
# Installs the Debian packages the interop tests need (idempotent; run as root):
# netconfd + yangcli (yuma123), python3-ncclient, openssh-server (only its sshd binary is used by
# the tests' private sshd; the system service is never started), libyang2-tools (yanglint), postgresql (only
# its server binaries are used: the store tests start a private cluster; the system one is never started).
# INSTALL_BROWSER=1 also installs chromium for the browser tests.
set -euo pipefail

pkgs=(netconfd yangcli python3-ncclient openssh-server libyang2-tools postgresql)
[ "${INSTALL_BROWSER:-0}" = 1 ] && pkgs+=(chromium)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers: already installed: ${pkgs[*]}"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "install-peers: root needed to install: ${missing[*]}" >&2; exit 1; }

# Keep package scripts from starting services (the system sshd in particular): a policy-rc.d that
# answers 101 ("action forbidden"), present only while we install and only if none existed.
added_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 0755 /usr/sbin/policy-rc.d
  added_policy=1
fi
trap '[ "$added_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
echo "install-peers: installed: ${missing[*]}"
