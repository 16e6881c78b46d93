#!/usr/bin/env bash
# Starts a private NETCONF peer for interop tests: yuma123 netconfd (as an unprivileged test
# user) behind its own OpenSSH sshd on 127.0.0.1:PORT with the "netconf" subsystem.
# Usage: start-netconfd-peer.sh RUNDIR PORT   (run as root; the system sshd is never touched)
# Writes RUNDIR/peer.env (user, password, client key, host key), RUNDIR/{sshd,netconfd}.pid.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNDIR="${1:?usage: $0 RUNDIR PORT}"
PORT="${2:?usage: $0 RUNDIR PORT}"
USER_NAME="${NETCONF_TEST_USER:-ncinterop}"
MARKER="esc-vnfm-driver interop test user"
NCDIR="$RUNDIR/netconfd"
SOCK="$NCDIR/ncxserver.sock"

fail() { echo "start-netconfd-peer: $*" >&2; exit 1; }
case "$PORT" in ''|*[!0-9]*) fail "PORT must be numeric";; esac
[ "$PORT" -gt 1024 ] && [ "$PORT" -ne 830 ] || fail "refusing port $PORT"
[ "$(id -u)" = 0 ] || fail "must run as root (sshd switches to $USER_NAME)"
for bin in /usr/sbin/sshd /usr/sbin/netconfd /usr/sbin/netconf-subsystem /usr/bin/ssh-keygen /usr/bin/setpriv; do
  [ -x "$bin" ] || fail "missing $bin (run test/interop/install-peers.sh)"
done

# A dedicated local user: created once, password reset on every start only if it carries our marker.
if ! getent passwd "$USER_NAME" >/dev/null; then
  useradd --create-home --shell /bin/sh --comment "$MARKER" "$USER_NAME"
fi
[ "$(getent passwd "$USER_NAME" | cut -d: -f5)" = "$MARKER" ] || fail "user $USER_NAME exists but was not created by this script"
PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
echo "$USER_NAME:$PASSWORD" | chpasswd
UID_GID="$(id -u "$USER_NAME"):$(id -g "$USER_NAME")"

mkdir -p "$NCDIR"
chmod 0755 "$RUNDIR" "$NCDIR"
ssh-keygen -q -t ed25519 -N '' -C interop-host -f "$RUNDIR/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -C interop-client -f "$RUNDIR/client_ed25519"
cp "$RUNDIR/client_ed25519.pub" "$RUNDIR/authorized_keys"
chmod 0644 "$RUNDIR/authorized_keys"

cat > "$RUNDIR/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $PORT
HostKey $RUNDIR/host_ed25519
PidFile $RUNDIR/sshd.pid
AuthorizedKeysFile $RUNDIR/authorized_keys
AllowUsers $USER_NAME
UsePAM no
StrictModes no
PasswordAuthentication yes
PubkeyAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
AllowTcpForwarding no
X11Forwarding no
PermitTTY no
UseDNS no
MaxStartups 50:30:100
LogLevel VERBOSE
Subsystem netconf /usr/sbin/netconf-subsystem --ncxserver-sockname=$PORT@$SOCK
CONF

printf '<?xml version="1.0" encoding="UTF-8"?>\n<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>\n' > "$NCDIR/startup.xml"
printf 'netconfd {\n}\n' > "$NCDIR/netconfd.conf"
cp "$HERE/esc-subset.yang" "$NCDIR/esc-subset.yang"
chown -R "$UID_GID" "$NCDIR"

# netconfd runs unprivileged in its own session; --max-burst=0 lifts the 10 notifications/s limit.
(
  cd "$NCDIR"
  exec setsid /usr/bin/setpriv --reuid="${UID_GID%%:*}" --regid="${UID_GID##*:}" --init-groups \
    /usr/bin/env -i HOME="$NCDIR" PATH=/usr/sbin:/usr/bin:/bin LANG=C.UTF-8 \
    /usr/sbin/netconfd --config="$NCDIR/netconfd.conf" --home="$NCDIR" --modpath="$NCDIR" \
      --module=esc-subset --ncxserver-sockname="$SOCK" --port="$PORT" --target=running \
      --superuser="$USER_NAME" --startup="$NCDIR/startup.xml" --with-url=false --max-burst=0 \
      --log="$NCDIR/netconfd.log" --log-level=info </dev/null >"$NCDIR/netconfd.out" 2>&1
) &
echo $! > "$RUNDIR/netconfd.pid"
for _ in $(seq 1 100); do
  [ -S "$SOCK" ] && break
  kill -0 "$(cat "$RUNDIR/netconfd.pid")" 2>/dev/null || { tail -n 20 "$NCDIR/netconfd.log" >&2 || true; fail "netconfd exited during startup"; }
  sleep 0.1
done
[ -S "$SOCK" ] || fail "netconfd created no socket within 10 s"

mkdir -p /run/sshd
/usr/sbin/sshd -f "$RUNDIR/sshd_config" -E "$RUNDIR/sshd.log" || fail "sshd did not start (see $RUNDIR/sshd.log)"
for _ in $(seq 1 50); do [ -s "$RUNDIR/sshd.pid" ] && break; sleep 0.1; done
[ -s "$RUNDIR/sshd.pid" ] || fail "sshd wrote no pid file"

umask 077
cat > "$RUNDIR/peer.env" <<ENV
NETCONF_PORT=$PORT
NETCONF_USER=$USER_NAME
NETCONF_PASS=$PASSWORD
NETCONF_KEY=$RUNDIR/client_ed25519
NETCONF_HOST_KEY=$RUNDIR/host_ed25519.pub
ENV
echo "start-netconfd-peer: up on 127.0.0.1:$PORT (sshd pid $(cat "$RUNDIR/sshd.pid"), netconfd pid $(cat "$RUNDIR/netconfd.pid"))"
