#!/usr/bin/env bash
# DaoliNet in one command: the controller, five "hosts" (Open vSwitch bridges on the userspace datapath, so no
# kernel module is needed) on two underlay segments joined by a router (a namespace): hosts 1-3 share segment A as
# an l2 underlay, hosts 4-5 sit on segment B as l3 hosts; and ten "containers" (network namespaces) of two tenants
# whose subnets, addresses and MACs overlap, each VPC with a web and a db subnet. Then a ping matrix shows who
# reaches whom: each VPC spans both segments, routed between its subnets; nothing crosses between the VPCs.
# (Segment B holds no two endpoints with the same address, so that demo/measure-l3.sh can compare it with a plain
# learning switch, which isolates nothing.)
#
#   sudo demo/daolinet-demo.sh up       build if needed, start everything, declare it over REST, print the matrix
#   sudo demo/daolinet-demo.sh status   print the ping matrix again
#   sudo demo/daolinet-demo.sh down     remove the lab (and stop the controller if `up` started it)
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KARAF="$ROOT/karaf-distribution/target/assembly"
STATE=/tmp/daolinet-demo                   # fixed, so that `down` finds what `up` made
STARTED_MARK="$STATE/controller-started-by-demo"
API=http://127.0.0.1:8181/daolinet/v1
OF_PORT=6653
UNDERLAY=dl-underlay      # segment A: 192.168.50.0/24, hosts 1-3, l2
UNDERLAY_B=dl-underlay2   # segment B: 192.168.60.0/24, hosts 4-5, l3
ROUTER=dl-router          # the namespace routing between the two segments (.254 on each)
HOSTS=(1 2 3 4 5)

# id, tenant, subnet, host, IP, MAC. Both tenants use web 10.0.0.0/24 and db 10.0.1.0/24 and the same MACs: only
# the VPC tells them apart.
ENDPOINTS=(
  "acme-web1   acme   web 1 10.0.0.10 02:00:00:00:00:10"
  "acme-web2   acme   web 2 10.0.0.11 02:00:00:00:00:11"
  "acme-web3   acme   web 3 10.0.0.12 02:00:00:00:00:12"
  "acme-web4   acme   web 1 10.0.0.13 02:00:00:00:00:13"
  "acme-db1    acme   db  4 10.0.1.10 02:00:00:00:01:10"
  "acme-db2    acme   db  5 10.0.1.11 02:00:00:00:01:11"
  "globex-web1 globex web 1 10.0.0.10 02:00:00:00:00:10"
  "globex-web2 globex web 3 10.0.0.11 02:00:00:00:00:11"
  "globex-web3 globex web 2 10.0.0.12 02:00:00:00:00:12"
  "globex-web4 globex web 5 10.0.0.13 02:00:00:00:00:13"
  "globex-db1  globex db  2 10.0.1.10 02:00:00:00:01:10"
)

# A private Open vSwitch: all its state under $STATE, never the system's.
export OVS_RUNDIR="$STATE/ovs/run" OVS_LOGDIR="$STATE/ovs/log" OVS_DBDIR="$STATE/ovs/db" OVS_SYSCONFDIR="$STATE/ovs/etc"

say() { printf '%s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

bridge_of() { printf 'dl-host%s' "$1"; }
uplink_of() { printf 'dl-h%s-up' "$1"; }
# hosts 1-3 on segment A, 4-5 on segment B
segment_of() { if (( $1 <= 3 )); then printf 'A'; else printf 'B'; fi; }
host_ip() { if (( $1 <= 3 )); then printf '192.168.50.%s' "$1"; else printf '192.168.60.%s' "$1"; fi; }
host_gateway() { if (( $1 <= 3 )); then printf '192.168.50.254'; else printf '192.168.60.254'; fi; }
host_mode() { if (( $1 <= 3 )); then printf 'l2'; else printf 'l3'; fi; }
link_exists() { ip link show "$1" >/dev/null 2>&1; }
listening() { [[ -n "$(ss -Htln "sport = :$1")" ]]; }

# A process that has exited but not been reaped yet counts as gone.
alive() { [[ -r /proc/$1/status ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

check_prerequisites() {
  (( EUID == 0 )) || die "run as root (network namespaces, veth pairs, Open vSwitch)"
  local tool missing=()
  for tool in ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-appctl ip ss ethtool ping curl; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  (( ${#missing[@]} == 0 )) || die "missing: ${missing[*]}; apt-get install -y openvswitch-switch iproute2 ethtool iputils-ping curl"
}

# --- controller -----------------------------------------------------------------------------------------------------

rest_ready() { curl -sf --max-time 5 "$API/switches" >/dev/null 2>&1; }

wait_for_rest() {
  local i
  for (( i = 0; i < 60; i++ )); do
    rest_ready && return 0
    sleep 1
  done
  die "the controller's REST API ($API/switches) did not answer within 60 s; see $KARAF/data/log/karaf.log"
}

controller_up() {
  if [[ ! -x "$KARAF/bin/start" ]]; then
    command -v mvn >/dev/null 2>&1 || die "$KARAF/bin/start does not exist and Maven (mvn) is not installed to build it"
    say "Building DaoliNet (mvn -B -q install -DskipTests), the first time only ..."
    (cd "$ROOT" && mvn -B -q install -DskipTests)
  fi
  if listening "$OF_PORT"; then
    say "A controller already listens on port $OF_PORT: using it."
  else
    say "Starting the controller ($KARAF/bin/start) ..."
    "$KARAF/bin/start"
    touch "$STARTED_MARK"
  fi
  wait_for_rest
  say "Controller REST API: $API"

  local out rc
  out=$(echo 'feature:install daolinet-switching daolinet-routing' | "$KARAF/bin/client" -r 5 -u karaf -p karaf -b 2>&1) \
    && rc=0 || rc=$?
  if (( rc != 0 )) || grep -qi 'error' <<<"$out"; then
    warn "could not install the features daolinet-switching and daolinet-routing (exit $rc): ${out:-no output}"
    warn "going on; containers will only reach each other once the switching and routing functions are installed"
  else
    say "Features daolinet-switching and daolinet-routing installed."
  fi
  wait_for_rest   # installing a feature may refresh bundles
}

controller_down() {
  if [[ ! -f "$STARTED_MARK" ]]; then
    say "Controller: not started by this demo, left as it is."
    return 0
  fi
  say "Stopping the controller this demo started ..."
  if [[ -x "$KARAF/bin/stop" ]]; then
    "$KARAF/bin/stop" >/dev/null 2>&1 || warn "$KARAF/bin/stop failed (was the controller still running?)"
    local i
    for (( i = 0; i < 30; i++ )); do
      listening "$OF_PORT" || break
      sleep 1
    done
    ! listening "$OF_PORT" || warn "something still listens on $OF_PORT after bin/stop"
  fi
  rm -f "$STARTED_MARK"
}

# --- lab: Open vSwitch, underlay, namespaces ------------------------------------------------------------------------

# ovs-appctl exit may not work (daemon hung, or socket gone): the pidfile says which process to end.
stop_by_pidfile() {
  local name=$1 file="$OVS_RUNDIR/$1.pid" pid i
  [[ -f "$file" ]] || return 0
  pid=$(<"$file")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  # only if that pid is still this daemon, not a process that reused the number
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$name" ]] || return 0
  kill "$pid" 2>/dev/null || true
  for (( i = 0; i < 50; i++ )); do
    alive "$pid" || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

# Removes whatever a previous `up` left, even a half-finished one. The controller is not touched.
lab_down() {
  local e id pids n
  for e in "${ENDPOINTS[@]}" "$ROUTER"; do
    read -r id _ <<<"$e"
    if [[ -e "/run/netns/$id" ]]; then
      # a namespace with a process still in it outlives `ip netns del`, and with it its veth
      mapfile -t pids < <(ip netns pids "$id" 2>/dev/null || true)
      if (( ${#pids[@]} > 0 )); then
        say "Stopping processes left in container $id: ${pids[*]}"
        kill "${pids[@]}" 2>/dev/null || true
        sleep 0.5
      fi
      ip netns del "$id" || warn "cannot delete namespace $id"
    fi
    if link_exists "$id"; then ip link del "$id" || warn "cannot delete link $id"; fi
  done
  if [[ -S "$OVS_RUNDIR/db.sock" ]]; then
    for n in "${HOSTS[@]}"; do
      ovs-vsctl --timeout=5 --if-exists del-br "$(bridge_of "$n")" || true
    done
  fi
  ovs-appctl --timeout=5 -t ovs-vswitchd exit --cleanup >/dev/null 2>&1 || true
  ovs-appctl --timeout=5 -t ovsdb-server exit >/dev/null 2>&1 || true
  stop_by_pidfile ovs-vswitchd
  stop_by_pidfile ovsdb-server
  for n in "${HOSTS[@]}"; do
    if link_exists "$(uplink_of "$n")"; then ip link del "$(uplink_of "$n")" || true; fi
    # the bridge's own (LOCAL) interface, should ovs-vswitchd have died without removing it
    if link_exists "$(bridge_of "$n")"; then ip link del "$(bridge_of "$n")" || true; fi
  done
  for n in "$UNDERLAY" "$UNDERLAY_B" "$ROUTER-a" "$ROUTER-b"; do
    if link_exists "$n"; then ip link del "$n" || warn "cannot delete $n"; fi
  done
  rm -rf "$STATE/ovs"
}

lab_up() {
  local n br up peer e id tenant subnet host ip mac i
  # The userspace datapath owns a tap device named ovs-netdev: one such Open vSwitch per machine. Ours is gone after
  # lab_down (give its exit a moment), so if the device is still there, another one runs, e.g. a build's tests.
  for (( i = 0; i < 50; i++ )); do
    link_exists ovs-netdev || break
    sleep 0.1
  done
  if link_exists ovs-netdev; then
    die "another Open vSwitch with the userspace datapath runs here (interface ovs-netdev exists; a build's" \
      "end-to-end tests?). Only one can run at a time: wait for it to end, then run '$0 up' again."
  fi
  mkdir -p "$OVS_RUNDIR" "$OVS_LOGDIR" "$OVS_DBDIR" "$OVS_SYSCONFDIR"
  ovsdb-tool create "$OVS_DBDIR/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ovsdb-server "$OVS_DBDIR/conf.db" --remote="punix:$OVS_RUNDIR/db.sock" -vconsole:warn --pidfile --detach --log-file
  ovs-vsctl --no-wait init
  ovs-vswitchd -vconsole:warn --pidfile --detach --log-file

  # the underlay: two L2 segments; 16384 lets LLDP through, which a Linux bridge drops by default. All five hosts
  # share this machine's stack: arp_ignore=1 keeps it from answering for their addresses on every lab interface.
  for n in "$UNDERLAY" "$UNDERLAY_B"; do
    ip link add "$n" type bridge
    echo 16384 >"/sys/class/net/$n/bridge/group_fwd_mask"
    echo 1 >"/proc/sys/net/ipv4/conf/$n/arp_ignore"
    ip link set "$n" up
  done
  # the router between them: a namespace with a leg in each segment
  ip netns add "$ROUTER"
  ip link add "$ROUTER-a" type veth peer name eth0 netns "$ROUTER"
  ip link add "$ROUTER-b" type veth peer name eth1 netns "$ROUTER"
  ip link set "$ROUTER-a" master "$UNDERLAY"
  ip link set "$ROUTER-b" master "$UNDERLAY_B"
  ip link set "$ROUTER-a" up
  ip link set "$ROUTER-b" up
  ip -n "$ROUTER" addr add 192.168.50.254/24 dev eth0
  ip -n "$ROUTER" addr add 192.168.60.254/24 dev eth1
  ip -n "$ROUTER" link set eth0 up
  ip -n "$ROUTER" link set eth1 up
  ip netns exec "$ROUTER" sh -c "echo 1 > /proc/sys/net/ipv4/ip_forward"

  for n in "${HOSTS[@]}"; do
    br=$(bridge_of "$n")
    up=$(uplink_of "$n")
    peer="$up-p"
    ovs-vsctl add-br "$br" -- set bridge "$br" datapath_type=netdev fail_mode=secure protocols=OpenFlow13 \
      "other-config:datapath-id=000000000000000$n" -- set-controller "$br" "tcp:127.0.0.1:$OF_PORT"
    ovs-vsctl set controller "$br" max_backoff=1000
    # the uplink ("eth1" of the host); a fixed MAC so that a re-run declares the same host
    ip link add "$up" type veth peer name "$peer"
    ip link set "$up" address "02:00:c0:a8:32:0$n"
    ovs-vsctl add-port "$br" "$up" -- set interface "$up" ofport_request=100
    if [[ "$(segment_of "$n")" == A ]]; then ip link set "$peer" master "$UNDERLAY"; else ip link set "$peer" master "$UNDERLAY_B"; fi
    echo 1 >"/proc/sys/net/ipv4/conf/$up/arp_ignore"
    ip link set "$up" up
    ip link set "$peer" up
    # the host's own underlay address, on the bridge's LOCAL interface, with the uplink's MAC as a real host has
    ovs-vsctl set bridge "$br" "other-config:hwaddr=$(cat "/sys/class/net/$up/address")"
    ip addr add "$(host_ip "$n")/24" dev "$br"
    # all hosts share this machine's stack: each answers ARP for its own address only
    echo 1 >"/proc/sys/net/ipv4/conf/$br/arp_ignore"
    echo 2 >"/proc/sys/net/ipv4/conf/$br/arp_announce"
    ip link set "$br" up
  done

  declare -A next_port=()
  for e in "${ENDPOINTS[@]}"; do
    read -r id tenant subnet host ip mac <<<"$e"
    br=$(bridge_of "$host")
    next_port[$host]=$(( ${next_port[$host]:-0} + 1 ))
    ip netns add "$id"
    # the host side is named after the endpoint: that is its portName; the container side is eth0
    ip link add "$id" type veth peer name eth0 netns "$id"
    ovs-vsctl add-port "$br" "$id" -- set interface "$id" "ofport_request=${next_port[$host]}"
    ip link set "$id" up
    ip -n "$id" link set eth0 address "$mac"
    ip -n "$id" addr add "$ip/24" dev eth0
    ip -n "$id" link set eth0 up
    ip -n "$id" link set lo up
    # with checksum offload on, the userspace datapath drops every TCP segment and UDP datagram
    ip netns exec "$id" ethtool -K eth0 tx off >/dev/null
    # the subnet's gateway (x.x.x.1), answered by the controller on every host
    ip -n "$id" route add default via "${ip%.*}.1"
  done
  say "Lab up: bridges dl-host1..3 on $UNDERLAY, dl-host4..5 on $UNDERLAY_B, router $ROUTER between;"
  say "containers in namespaces (ip netns list)."
}

# --- REST -----------------------------------------------------------------------------------------------------------

# POSTs one object. 409 is fine when the object already exists (a re-run); anything else stops the demo.
post() {
  local kind=$1 id=$2 body=$3 code response="$STATE/response.json"
  rm -f "$response"
  code=$(curl -sS --max-time 10 -o "$response" -w '%{http_code}' -X POST "$API/$kind" \
    -H 'Content-Type: application/json' --data "$body") || code=000
  case "$code" in
    200 | 201) say "  created   $kind/$id" ;;
    409)
      if curl -sf --max-time 10 "$API/$kind/$id" >/dev/null; then
        say "  exists    $kind/$id"
      else
        die "POST $API/$kind answered 409 but $kind/$id does not exist: $(cat "$response" 2>/dev/null)"
      fi
      ;;
    *)
      printf 'ERROR: POST %s/%s answered HTTP %s\n  request:  %s\n  response: %s\n' "$API" "$kind" "$code" \
        "$body" "$(cat "$response" 2>/dev/null || true)" >&2
      exit 1
      ;;
  esac
}

declare_network() {
  local t n up mac e id tenant subnet host ip
  say "Declaring tenants, VPCs, subnets, hosts and endpoints over REST ($API) ..."
  for t in acme globex; do
    post tenants "$t" "{\"id\":\"$t\",\"name\":\"${t^}\"}"
  done
  for t in acme globex; do
    post vpcs "$t-prod" "{\"id\":\"$t-prod\",\"tenantId\":\"$t\",\"name\":\"prod\"}"
  done
  for t in acme globex; do
    post subnets "$t-web" "{\"id\":\"$t-web\",\"vpcId\":\"$t-prod\",\"name\":\"web\",\"cidr\":\"10.0.0.0/24\",\"gateway\":\"10.0.0.1\"}"
    post subnets "$t-db" "{\"id\":\"$t-db\",\"vpcId\":\"$t-prod\",\"name\":\"db\",\"cidr\":\"10.0.1.0/24\",\"gateway\":\"10.0.1.1\"}"
  done
  for n in "${HOSTS[@]}"; do
    up=$(uplink_of "$n")
    mac=$(cat "/sys/class/net/$up/address")
    post hosts "host$n" "{\"id\":\"host$n\",\"name\":\"host$n\",\"dpid\":\"00:00:00:00:00:00:00:0$n\",\"underlayPort\":\"$up\",\"underlayMac\":\"$mac\",\"underlayIp\":\"$(host_ip "$n")\",\"underlayGateway\":\"$(host_gateway "$n")\",\"underlayMode\":\"$(host_mode "$n")\"}"
  done
  for e in "${ENDPOINTS[@]}"; do
    read -r id tenant subnet host ip mac <<<"$e"
    post endpoints "$id" "{\"id\":\"$id\",\"vpcId\":\"$tenant-prod\",\"subnetId\":\"$tenant-$subnet\",\"mac\":\"$mac\",\"ip\":\"$ip\",\"hostId\":\"host$host\",\"portName\":\"$id\"}"
  done
}

wait_for_switches() {
  local i n json missing=()
  for (( i = 0; i < 30; i++ )); do
    json=$(curl -sf --max-time 5 "$API/switches" || true)
    missing=()
    for n in "${HOSTS[@]}"; do
      grep -q "\"dpid\" *: *\"00:00:00:00:00:00:00:0$n\"" <<<"$json" || missing+=("dl-host$n")
    done
    (( ${#missing[@]} == 0 )) && { say "All ${#HOSTS[@]} switches are connected."; return 0; }
    sleep 1
  done
  warn "not connected to the controller after 30 s: ${missing[*]} (ovs-vsctl show; $OVS_LOGDIR/ovs-vswitchd.log)"
}

# --- ping matrix ----------------------------------------------------------------------------------------------------

# Echo requests a container has received. Both tenants use the same addresses, so a ping's answer alone does not say
# who answered; this counter does (pings run one at a time).
echos_received() {
  # shellcheck disable=SC2016  # an awk program: its $ are awk's
  ip netns exec "$1" awk '$1 == "Icmp:" { if (col) { print $col; exit } for (i = 2; i <= NF; i++) if ($i == "InEchos") col = i }' \
    /proc/net/snmp
}

ping_matrix() {
  local e id tenant subnet host ip mac src dst x answered reached leak expected result check note
  local ids=() got=()
  declare -A ip_of=() tenant_of=() before=() after=()
  for e in "${ENDPOINTS[@]}"; do
    read -r id tenant subnet host ip mac <<<"$e"
    [[ -e "/run/netns/$id" ]] || die "container $id does not exist: run '$0 up' first"
    ids+=("$id")
    ip_of[$id]=$ip
    tenant_of[$id]=$tenant
  done
  local pairs=0 good=0 mismatches=()
  say ""
  say "Ping matrix: ip netns exec SRC ping -c 2 -W 1 -i 0.2 DST-IP (one pair at a time)"
  printf '%-12s %-22s %-24s %-8s %-9s %s\n' SRC DST EXPECTED RESULT CHECK NOTE
  for src in "${ids[@]}"; do
    for dst in "${ids[@]}"; do
      [[ "$src" == "$dst" ]] && continue
      for x in "${ids[@]}"; do before[$x]=$(echos_received "$x"); done
      if ip netns exec "$src" ping -n -q -c 2 -W 1 -i 0.2 "${ip_of[$dst]}" >/dev/null 2>&1; then
        answered=1
      else
        answered=0
      fi
      # pings still queued for an unanswered ARP would otherwise go out later and be counted for the next pair
      ip -n "$src" neigh flush dev eth0 nud incomplete >/dev/null 2>&1 || true
      for x in "${ids[@]}"; do after[$x]=$(echos_received "$x"); done
      # who got the echo requests, and whether any of them is outside the sender's VPC (a leak)
      got=() reached=0 leak=0
      for x in "${ids[@]}"; do
        (( ${after[$x]} > ${before[$x]} )) || continue
        got+=("$x")
        [[ "$x" == "$dst" ]] && reached=1
        [[ "${tenant_of[$x]}" != "${tenant_of[$src]}" ]] && leak=1
      done
      if (( reached && answered )); then result=reached
      elif (( reached )); then result=one-way
      else result=blocked
      fi
      note=""
      if [[ "${tenant_of[$src]}" == "${tenant_of[$dst]}" ]]; then
        expected="reach (same VPC)"
        (( reached && answered && !leak )) && check=ok || check=MISMATCH
      else
        expected="blocked (different VPC)"
        (( !reached && !leak )) && check=ok || check=MISMATCH
      fi
      for x in "${got[@]}"; do
        if [[ "$x" == "$dst" ]]; then
          [[ "${tenant_of[$x]}" != "${tenant_of[$src]}" ]] && note+="LEAK: reached $x of another VPC; "
        elif [[ "$x" == "$src" ]]; then
          note+="${ip_of[$dst]} is its own address; "
        elif [[ "${tenant_of[$x]}" == "${tenant_of[$src]}" ]]; then
          note+="${ip_of[$dst]} answered by $x (same VPC); "
        else
          note+="LEAK: reached $x of another VPC; "
        fi
      done
      (( ${#got[@]} == 0 && !answered )) && note+="no answer; "
      printf '%-12s %-22s %-24s %-8s %-9s %s\n' "$src" "$dst ${ip_of[$dst]}" "$expected" "$result" "$check" \
        "${note%; }"
      pairs=$(( pairs + 1 ))
      if [[ "$check" == ok ]]; then
        good=$(( good + 1 ))
      else
        mismatches+=("$src -> $dst (${ip_of[$dst]}): expected ${expected%% *}, got $result${note:+; ${note%; }}")
      fi
    done
  done
  say ""
  say "$pairs pairs, $good as expected"
  if (( ${#mismatches[@]} > 0 )); then
    say ""
    say "!!!!!!!! ${#mismatches[@]} MISMATCH(ES) !!!!!!!!"
    printf '  %s\n' "${mismatches[@]}"
    say "(is the controller up, the features daolinet-switching and daolinet-routing installed, every switch connected?)"
  fi
}

examples() {
  cat <<EOF

Try:
  ip netns exec acme-web1 ping 10.0.0.11                   # acme-web1 -> acme-web2, across hosts
  ip netns exec acme-web1 ping 10.0.1.10                   # -> acme-db1: routed, through the underlay router (ttl 63)
  ip netns exec acme-web1 ping 10.0.0.1                    # the subnet's gateway, answered on every host
  ip netns exec globex-web1 ping 10.0.0.13                 # globex has no 10.0.0.13; acme-web4 must stay unreachable
  ip netns exec acme-web2 nc -l 8080 & echo hi | ip netns exec acme-web1 nc -N 10.0.0.11 8080
  echo 'daolinet:flows 00:00:00:00:00:00:00:01' | $KARAF/bin/client -u karaf -p karaf -b
  echo 'daolinet:endpoints' | $KARAF/bin/client -u karaf -p karaf -b
  curl -s $API/switches
  $0 status                                              # the ping matrix again
  $0 down                                                # remove the lab
EOF
}

# --- commands -------------------------------------------------------------------------------------------------------

cmd_up() {
  check_prerequisites
  trap 'warn "failed at line $LINENO: $BASH_COMMAND"' ERR
  trap 'rc=$?; (( rc == 0 )) || warn "up did not finish; \"$0 down\" removes what it made (OVS logs: $OVS_LOGDIR)"' EXIT
  mkdir -p "$STATE"
  lab_down
  controller_up
  lab_up
  declare_network
  wait_for_switches
  ping_matrix
  examples
  trap - ERR EXIT
}

cmd_down() {
  (( EUID == 0 )) || die "run as root"
  lab_down
  controller_down
  rm -rf "$STATE"
  say "Lab removed. The tenants, VPCs, subnets, hosts and endpoints stay in the controller's store"
  say "(delete them over REST or with daolinet:delete if you want them gone)."
}

cmd_status() {
  check_prerequisites
  if rest_ready; then
    say "Controller: $API answers; switches: $(curl -sf --max-time 5 "$API/switches" | grep -o '"dpid" *: *"[^"]*"' | grep -o '[0-9a-f:]\{23\}' | tr '\n' ' ')"
  else
    warn "the controller's REST API ($API) does not answer"
  fi
  ping_matrix
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *)
    say "usage: $0 up|status|down   (as root)"
    exit 2
    ;;
esac
