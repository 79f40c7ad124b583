#!/usr/bin/env bash
# Measurements in the demo lab (run after `demo/daolinet-demo.sh up`, as root):
#  1. first-packet cost per kind of path: TCP connect time of new connections (the SYN goes through the
#     controller) against the round trip on the established connection, same pair, same run;
#  2. TCP throughput (iperf3, 5 s) across hosts with routed-underlay translation, and for the same pair under a
#     plain L2 learning switch (the controller switched to mode=learning for that run, then back to vpc).
# usage: sudo demo/measure-l3.sh [CONNECTIONS]   (default 30 per pair)
set -Eeuo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KARAF="$ROOT/karaf-distribution/target/assembly"
CFG="$KARAF/etc/org.daolinet.switching.cfg"
N=${1:-30}
PROBE="$ROOT/demo/tcp-setup-time.py"
(( EUID == 0 )) || { echo "run as root" >&2; exit 1; }
for t in iperf3 python3; do command -v $t >/dev/null || { echo "missing: $t" >&2; exit 1; }; done

# kind, client, server, server IP
PAIRS=(
  "same-host          acme-web1 acme-web4 10.0.0.13"
  "l2-segment         acme-web1 acme-web2 10.0.0.11"
  "l3-direct          acme-db2  acme-db1  10.0.1.10"
  "l3-routed-via-rtr  acme-web1 acme-db1  10.0.1.10"
)
servers=()
cleanup() { for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "1. First-packet cost: TCP connect (SYN through the controller) vs round trip on the established flows"
printf '%-20s %12s %12s %8s\n' path connect_ms rtt_ms ratio
port=9100
for p in "${PAIRS[@]}"; do
  read -r kind client server ip <<<"$p"
  port=$(( port + 1 ))
  ip netns exec "$server" python3 "$PROBE" serve "$port" & servers+=($!)
  sleep 0.5
  out=$(ip netns exec "$client" python3 "$PROBE" probe "$ip" "$port" "$N")
  c=$(awk '{print $1}' <<<"$out" | median)
  r=$(awk '{print $2}' <<<"$out" | median)
  printf '%-20s %12s %12s %7.1fx\n' "$kind" "$c" "$r" "$(awk -v c="$c" -v r="$r" 'BEGIN { print c / r }')"
done

iperf() {  # client server ip -> Mbit/s
  local client=$1 server=$2 ip=$3 pid
  ip netns exec "$server" iperf3 -s -1 -p 5201 >/dev/null 2>&1 & pid=$!
  sleep 0.5
  ip netns exec "$client" iperf3 -c "$ip" -p 5201 -t 5 -J | python3 -c \
    'import json,sys; print("%.0f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))'
  wait "$pid" 2>/dev/null || true
}

echo
echo "2. TCP throughput, iperf3 -t 5 (Mbit/s)"
l3=$(iperf acme-db2 acme-db1 10.0.1.10)
routed=$(iperf acme-web1 acme-db1 10.0.1.10)
cp "$CFG" "$CFG.measure-backup"
restore() { if [[ -f "$CFG.measure-backup" ]]; then cp "$CFG.measure-backup" "$CFG"; rm -f "$CFG.measure-backup"; fi; }
trap 'restore; cleanup' EXIT
sed -i 's/^mode *=.*/mode = learning/' "$CFG"
sleep 4   # the configuration reaches the switching functions; their flows are removed
learning=$(iperf acme-db2 acme-db1 10.0.1.10)
restore
sleep 4
printf '%-52s %8s\n' "acme-db2 (host5) -> acme-db1 (host4), l3 translation" "$l3"
printf '%-52s %8s\n' "same pair, plain L2 learning switch (mode=learning)" "$learning"
printf '%-52s %8s\n' "acme-web1 (host1) -> acme-db1 (host4), via the router" "$routed"
awk -v a="$l3" -v b="$learning" 'BEGIN { printf "l3 translation / learning switch: %.2f\n", a / b }'
