#!/usr/bin/env bash
# Stop exactly the processes that up.sh started (listed in $OS_LITE_DIR/run/pids).
# Each was started with setsid, so its pid is also its process-group id: the group is
# signalled (to catch uwsgi/eventlet workers and Erlang helpers), but only after checking
# that the pid still belongs to the process we started (same start time in /proc/PID/stat).
# Nothing is killed by name. Usage: bash down.sh [--purge]   (--purge also removes the state dir)
set -uo pipefail
D=${OS_LITE_DIR:-/tmp/oaktree-openstack}
PIDS=$D/run/pids
[ -f "$PIDS" ] || { echo "down: no pid file at $PIDS, nothing to stop"; exit 0; }

alive_same() { # pid starttime
  [ -r "/proc/$1/stat" ] || return 1
  [ "$(awk '{print $22}' "/proc/$1/stat" 2>/dev/null)" = "$2" ]
}
group_alive() { [ -n "$(ps -e -o pgid= | awk -v g="$1" '$1==g' | head -1)" ]; }

# stop in reverse start order (api services first, rabbitmq and epmd last)
mapfile -t all < <(tac "$PIDS")
lines=()
for line in "${all[@]}"; do
  read -r name pid st <<<"$line"
  [ -n "${pid:-}" ] || continue
  if alive_same "$pid" "$st"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    echo "down: TERM $name ($pid)"
    lines+=("$line")      # only groups verified as ours are waited for / killed below
  fi
done
for i in $(seq 1 50); do
  left=0
  for line in "${lines[@]}"; do
    read -r name pid st <<<"$line"
    if alive_same "$pid" "$st" || group_alive "$pid"; then left=1; fi
  done
  [ $left = 0 ] && break
  sleep 0.2
done
for line in "${lines[@]}"; do
  read -r name pid st <<<"$line"
  if alive_same "$pid" "$st" || group_alive "$pid"; then
    echo "down: KILL $name ($pid)"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  fi
done
mv -f "$PIDS" "$PIDS.stopped"
echo "down: stopped"
if [ "${1:-}" = "--purge" ] && [ -f "$D/.openstack-lite" ]; then rm -rf "$D"; echo "down: removed $D"; fi
