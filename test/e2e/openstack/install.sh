#!/usr/bin/env bash
# Install the Debian 12 packages the OpenStack recipe needs (plus any extra package names given
# as arguments), as root. Does nothing, and needs no network, when all of them are installed.
# Usage: bash install.sh [extra-package ...]      Log: /tmp/oaktree-openstack-apt.log
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
T0=$(date +%s)
log() { printf '[install %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
die() { log "ERROR: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root"

# procps: ps, which down.sh needs to find process groups (minimal Debian images lack it)
PKGS="python3-keystone python3-glance python3-placement python3-nova python3-neutron
python3-cinder python3-openstackclient rabbitmq-server uwsgi-core uwsgi-plugin-python3
sqlite3 curl mariadb-server python3-pymysql procps"
missing=""
for p in $PKGS "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  log "all packages already installed"
  exit 0
fi

LOG=/tmp/oaktree-openstack-apt.log
log "apt-get install:$missing"
# Keep the maintainer scripts of rabbitmq-server and mariadb-server from starting their
# services (there is no init system): a policy-rc.d that says no, only if there is none yet.
made_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  made_policy=1
fi
cleanup() { if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT
# Always refresh the lists before installing: stale lists give 404s for superseded versions.
apt-get update -qq > "$LOG" 2>&1 || { tail -20 "$LOG"; die "apt-get update failed"; }
# shellcheck disable=SC2086  # word splitting of the package list is intended
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $missing \
  >> "$LOG" 2>&1 || { tail -30 "$LOG"; die "apt-get install failed (log $LOG)"; }
log "apt-get update + install took $(( $(date +%s) - T0 ))s (log $LOG)"
