#!/usr/bin/env bash
# Stops what start-netconfd-peer.sh started in RUNDIR: the sshd and netconfd whose pids are in
# RUNDIR's pid files (checked against their command lines), plus the per-connection processes
# forked by that sshd. Never kills by name. Usage: stop-netconfd-peer.sh RUNDIR
set -uo pipefail
RUNDIR="${1:?usage: $0 RUNDIR}"

ours() { # pid -> true when its command line names RUNDIR or it descends from our sshd
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF -- "$RUNDIR"
}
descendants() { # pid -> all descendant pids
  local kids
  kids="$(ps -o pid= --ppid "$1" 2>/dev/null || true)"
  for k in $kids; do echo "$k"; descendants "$k"; done
}

pids=()
for f in sshd netconfd; do
  [ -s "$RUNDIR/$f.pid" ] || continue
  pid="$(tr -dc '0-9' < "$RUNDIR/$f.pid")"
  if [ -n "$pid" ] && ours "$pid"; then
    pids+=("$pid" $(descendants "$pid"))
  fi
done
alive=()
[ ${#pids[@]} -gt 0 ] && kill -TERM "${pids[@]}" 2>/dev/null
for _ in $(seq 1 50); do
  alive=()
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
  [ ${#alive[@]} -eq 0 ] && break
  sleep 0.1
done
[ ${#alive[@]} -gt 0 ] && kill -KILL "${alive[@]}" 2>/dev/null
rm -f "$RUNDIR/sshd.pid" "$RUNDIR/netconfd.pid" "$RUNDIR/netconfd/ncxserver.sock"
echo "stop-netconfd-peer: stopped ${#pids[@]} process(es) of $RUNDIR"
exit 0
