#!/usr/bin/env bash
# Measures, in ONE run and with the same tool and settings: DaoliNet (learning and vpc scenarios), ovs-testcontroller
# (the reference C learning switch, OpenFlow 1.0 and 1.3) and a trivial Netty responder (the I/O ceiling); prints a table
# with ratios. Run it alone on the machine (it takes the build lock used on the shared project machines):
#   flock /tmp/daolinet-build.lock tools/bench/side-by-side.sh
# Knobs (environment): ROUNDS (5) SECS (3) WARMUP (2) LAT_ROUNDS (7) LAT_WARMUP (6) SWITCHES (16) ENDPOINTS (5000) BIG_SWITCHES (256)
# BIG_ENDPOINTS (100000) BIG_WARMUP (8: 256 switches take longer to reach steady state, for every controller)
# WARMUP13 (6: the first 1.3 rows of a JVM that has answered only 1.0 so far recompile its 1.3 path for seconds)
# SWEEP ("1 64": the other switch counts of the learning rows, each in both modes; empty skips them) SWEEP_ROUNDS (3)
# CONTROLLER_OPTS (-Xmx512m -XX:+UseParallelGC, the collector the Karaf distribution's bin/setenv picks; every
# Java server side gets them) BASE_PORT (17653) IO_THREADS (1); BIG=0 skips the 256-switch row.
# The 16-switch rows measure DaoliNet, ovs-testcontroller and the trivial responder in ONE run of the tool, each
# with its own switches, taking turns round by round: on a 2-core VM the same binary's figure moves by up to ~20% for
# seconds at a time (the kernel's state, not the controller's), and measured in turns every controller sees the
# same ups and downs, so the ratios hold. Latency rows run longer: a JVM controller recompiles its I/O path for
# ~5 s after switches connect (PrintCompilation: ~120 methods deoptimized at connect), and their median is read
# from its steady state. Every controller, ovs-testcontroller included, gets the same settings.
# IO_THREADS is the number of event loops of every Java side: the tool, DaoliNet (io.threads) and the trivial
# responder. The tool shares the machine with the controller it measures; with one loop each, each has a core of
# its own on a 2-core machine, as ovs-testcontroller (single-threaded) has. IO_THREADS=0 gives the southbound's
# default, one loop per core, and the tool and the controller then compete for the same cores.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=$HERE/target/daolinet-bench.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -pl tools/bench -am install -DskipTests" >&2; exit 2; }
ROUNDS=${ROUNDS:-5}; SECS=${SECS:-3}; WARMUP=${WARMUP:-2}; LAT_ROUNDS=${LAT_ROUNDS:-7}; LAT_WARMUP=${LAT_WARMUP:-6}
SWITCHES=${SWITCHES:-16}; ENDPOINTS=${ENDPOINTS:-5000}
SWEEP=${SWEEP-1 64}; SWEEP_ROUNDS=${SWEEP_ROUNDS:-3}; WARMUP13=${WARMUP13:-6}
BIG=${BIG:-1}; BIG_SWITCHES=${BIG_SWITCHES:-256}; BIG_ENDPOINTS=${BIG_ENDPOINTS:-100000}; BIG_WARMUP=${BIG_WARMUP:-8}
CONTROLLER_OPTS=${CONTROLLER_OPTS:--Xmx512m -XX:+UseParallelGC}
PORT=${BASE_PORT:-17653}
IO_THREADS=${IO_THREADS:-1}
TC=$(command -v ovs-testcontroller || true)
TMP=$(mktemp -d /tmp/daolinet-side-by-side.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# start_java LOG MAIN ARGS...: starts a JVM, waits for its READY line, sets SERVER_PID
start_java() {
  local log=$1; shift
  java $CONTROLLER_OPTS -cp "$JAR" "$@" >"$log" 2>&1 &
  SERVER_PID=$!; PIDS+=("$SERVER_PID")
  for _ in $(seq 1 900); do
    grep -aq '^READY' "$log" && { grep -a '^READY' "$log" >&2; return 0; }
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.2
  done
  echo "no READY from $*" >&2; return 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# bench NAME:PORT [NAME:PORT]... -- ARGS...: one run of the tool. With several controllers, each gets its own
# switches and they take turns, one round each, so that the machine's ups and downs (on a 2-core VM the same binary's
# figure moves by ~20% for seconds at a time) weigh on all of them alike. Keeps each one's RESULT line as $TMP/NAME.
bench() {
  local names=() ports=() also=()
  while [ "$1" != "--" ]; do names+=("${1%%:*}"); ports+=("${1##*:}"); shift; done; shift
  for p in "${ports[@]:1}"; do also+=(--also 127.0.0.1:"$p"); done
  echo "== ${names[*]}" >&2
  java -jar "$JAR" --controller 127.0.0.1:"${ports[0]}" ${also[@]+"${also[@]}"} --rounds "$ROUNDS" --seconds "$SECS" \
    --warmup "$WARMUP" --io-threads "$IO_THREADS" "$@" | tee "$TMP/${names[0]}.out" >&2 || true
  for k in "${!names[@]}"; do
    grep "^RESULT controller=127.0.0.1:${ports[$k]} " "$TMP/${names[0]}.out" > "$TMP/${names[$k]}" \
      || echo "RESULT median=0 min=0 max=0 errors=1 tool_cpu=0" > "$TMP/${names[$k]}"
  done
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$TMP/$1"; }

LAYOUT=$SWITCHES,$ENDPOINTS,4,2,2,500
BIG_LAYOUT=$BIG_SWITCHES,$BIG_ENDPOINTS,4,2,2,500
LAT=(--mode latency --rounds "$LAT_ROUNDS" --warmup "$LAT_WARMUP")

# --- every controller up at once, each on its port: DaoliNet learning, DaoliNet vpc (full pipeline), the trivial
# responder, ovs-testcontroller (it speaks 1.0 and 1.3); the 16-switch rows measure them together
P_OL=$((PORT+1)); start_java "$TMP/ours-learning.log" org.daolinet.bench.BenchController --port $P_OL --mode learning --io-threads "$IO_THREADS"; OL_PID=$SERVER_PID
P_OV=$((PORT+2)); start_java "$TMP/ours-vpc.log" org.daolinet.bench.BenchController --port $P_OV --mode vpc --layout "$LAYOUT" --io-threads "$IO_THREADS"; OV_PID=$SERVER_PID
P_TV=$((PORT+3)); start_java "$TMP/trivial.log" org.daolinet.bench.TrivialResponder $P_TV "$IO_THREADS"; TV_PID=$SERVER_PID
P_TC=$((PORT+4))
if [ -n "$TC" ]; then
  "$TC" -O OpenFlow10,OpenFlow13 --unixctl="$TMP/tc.ctl" -vconsole:off ptcp:$P_TC:127.0.0.1 >"$TMP/tc.log" 2>&1 &
  TC_PID=$!; PIDS+=("$TC_PID"); sleep 0.5
fi
with_tc() { [ -n "$TC" ] && echo "$1:$P_TC" || true; }  # ovs-testcontroller's NAME:PORT, if it is installed
VPC=(--scenario vpc --layout "$LAYOUT")
bench ours-l-thr:$P_OL $(with_tc tc-l-thr) triv-thr:$P_TV -- --switches "$SWITCHES" --mode throughput --of 1.0 --pid "$OL_PID" --java
bench ours-l-lat:$P_OL $(with_tc tc-l-lat) triv-lat:$P_TV -- --switches "$SWITCHES" "${LAT[@]}" --of 1.0 --pid "$OL_PID"
bench ours-l-thr13:$P_OL $(with_tc tc-l-thr13) triv-thr13:$P_TV -- --switches "$SWITCHES" --mode throughput --of 1.3 --warmup "$WARMUP13" --pid "$OL_PID"
bench ours-l-lat13:$P_OL $(with_tc tc-l-lat13) triv-lat13:$P_TV -- --switches "$SWITCHES" "${LAT[@]}" --of 1.3 --pid "$OL_PID"
# the vpc traffic (TCP SYNs between declared endpoints) goes to every controller: to the others it is plain Ethernet
bench ours-v-thr:$P_OV $(with_tc tc-v-thr) triv-v-thr:$P_TV -- --switches "$SWITCHES" "${VPC[@]}" --mode throughput --of 1.0 --pid "$OV_PID" --java
bench ours-v-lat:$P_OV $(with_tc tc-v-lat) triv-v-lat:$P_TV -- --switches "$SWITCHES" "${VPC[@]}" "${LAT[@]}" --of 1.0 --pid "$OV_PID"
bench ours-v-thr13:$P_OV $(with_tc tc-v-thr13) triv-v-thr13:$P_TV -- --switches "$SWITCHES" "${VPC[@]}" --mode throughput --of 1.3 --warmup "$WARMUP13" --pid "$OV_PID"
bench ours-v-lat13:$P_OV $(with_tc tc-v-lat13) triv-v-lat13:$P_TV -- --switches "$SWITCHES" "${VPC[@]}" "${LAT[@]}" --of 1.3 --pid "$OV_PID"
# the learning rows at the issue's other switch counts, fewer rounds each; 256 switches, one controller at a time
for n in $SWEEP; do
  bench ours-l-thr-$n:$P_OL $(with_tc tc-l-thr-$n) triv-thr-$n:$P_TV -- --switches "$n" --mode throughput --of 1.0 \
    --rounds "$SWEEP_ROUNDS" --pid "$OL_PID"
  bench ours-l-lat-$n:$P_OL $(with_tc tc-l-lat-$n) triv-lat-$n:$P_TV -- --switches "$n" "${LAT[@]}" --of 1.0 \
    --rounds "$SWEEP_ROUNDS" --pid "$OL_PID"
done
[ "$BIG" = 1 ] && bench ours-l-big:$P_OL -- --warmup "$BIG_WARMUP" --switches "$BIG_SWITCHES" --mode throughput --of 1.0 --pid "$OL_PID"
stop "$OL_PID"; stop "$OV_PID"

# --- at scale, one controller at a time (256 switches each; ovs-testcontroller serves 16 of them at a time)
if [ "$BIG" = 1 ]; then
  [ -n "$TC" ] && bench tc-big:$P_TC -- --warmup "$BIG_WARMUP" --switches "$BIG_SWITCHES" --mode throughput --of 1.0 --pid "$TC_PID"
  bench triv-big:$P_TV -- --warmup "$BIG_WARMUP" --switches "$BIG_SWITCHES" --mode throughput --of 1.0 --pid "$TV_PID"
fi
[ -n "$TC" ] && stop "$TC_PID"
stop "$TV_PID"
if [ "$BIG" = 1 ]; then
  P_OB=$((PORT+5)); start_java "$TMP/ours-big.log" org.daolinet.bench.BenchController --port $P_OB --mode vpc --layout "$BIG_LAYOUT" --io-threads "$IO_THREADS"
  bench ours-big:$P_OB -- --warmup "$BIG_WARMUP" --switches "$BIG_SWITCHES" --scenario vpc --layout "$BIG_LAYOUT" --mode throughput --of 1.0 --pid "$SERVER_PID" --java
  stop "$SERVER_PID"
fi

ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "n/a" }'; }
row() { # label ours-name tc-name trivial-name
  local o t v; o=$(field "$2" median); t=$([ -f "$TMP/$3" ] && field "$3" median || echo 0)
  v=$([ -f "$TMP/$4" ] && field "$4" median || echo 0)
  printf "| %s | %s (%s–%s) | %s | %s | %s | %s | %s MiB | %s | %s%% / %s%% |\n" "$1" "$o" "$(field "$2" min)" "$(field "$2" max)" \
    "${t:-n/a}" "$(ratio "$o" "$t")" "${v:-n/a}" "$(ratio "$o" "$v")" "$(( $(field "$2" rss_kib) / 1024 ))" \
    "$(h=$(field "$2" heap_kib); [ "${h:--1}" -ge 0 ] && echo "$((h / 1024)) MiB" || echo "-")" \
    "$(field "$2" tool_cpu)" "$([ -f "$TMP/$4" ] && field "$4" tool_cpu || echo n/a)"
}
echo
echo "PacketIns answered per second, median of $ROUNDS rounds of ${SECS} s after ${WARMUP} s warm-up (latency rows: $LAT_ROUNDS rounds after ${LAT_WARMUP} s; 1.3 throughput rows: after ${WARMUP13} s${SWEEP:+; the ${SWEEP// /- and }-switch rows: $SWEEP_ROUNDS}) (min–max), $SWITCHES switches unless said; $(nproc) cores, event loops per Java side: $([ "$IO_THREADS" = 0 ] && echo "one per core" || echo "$IO_THREADS"), $(date -u +%F)"
echo
echo "| scenario, mode, OpenFlow | DaoliNet | ovs-testcontroller (learning) | DaoliNet / testcontroller | trivial responder | DaoliNet / trivial | DaoliNet RSS | DaoliNet heap after GC | tool CPU, DaoliNet / trivial rounds |"
echo "|---|---|---|---|---|---|---|---|---|"
row "learning, throughput, 1.0" ours-l-thr tc-l-thr triv-thr
row "learning, latency, 1.0" ours-l-lat tc-l-lat triv-lat
row "learning, throughput, 1.3" ours-l-thr13 tc-l-thr13 triv-thr13
row "learning, latency, 1.3" ours-l-lat13 tc-l-lat13 triv-lat13
row "vpc, throughput, 1.0" ours-v-thr tc-v-thr triv-v-thr
row "vpc, latency, 1.0" ours-v-lat tc-v-lat triv-v-lat
row "vpc, throughput, 1.3" ours-v-thr13 tc-v-thr13 triv-v-thr13
row "vpc, latency, 1.3" ours-v-lat13 tc-v-lat13 triv-v-lat13
for n in $SWEEP; do
  sw=$([ "$n" = 1 ] && echo "1 switch" || echo "$n switches")
  row "learning, throughput, 1.0, $sw" ours-l-thr-$n tc-l-thr-$n triv-thr-$n
  row "learning, latency, 1.0, $sw" ours-l-lat-$n tc-l-lat-$n triv-lat-$n
done
[ "$BIG" = 1 ] && row "learning, throughput, 1.0, $BIG_SWITCHES switches" ours-l-big tc-big triv-big
[ "$BIG" = 1 ] && row "vpc, throughput, 1.0, $BIG_SWITCHES switches, $BIG_ENDPOINTS endpoints" ours-big tc-big triv-big
echo
echo "rows of up to 64 switches: the three controllers measured in the same run of the tool, one round each in turn; vpc rows send the same vpc traffic to all three. $BIG_SWITCHES-switch rows: one controller at a time, the others' figures are learning traffic."
[ -n "$TC" ] && echo "ovs-testcontroller serves at most 16 switches at a time (MAX_SWITCHES in its source): in rows of more switches the others wait in its accept queue and count as its errors."
echo "tool CPU: the tool's own CPU time in the median round, in % of a core; with one event loop, near 100% the tool and not the controller set the pace of that round."
echo "lost PacketIns (no answer within 1 s) and errors: $(for f in "$TMP"/*-*; do [ -f "$f" ] && case "$f" in *.out|*.log) ;; *) printf '%s lost=%s errors=%s; ' "$(basename "$f")" "$(sed -n 's/.* lost=\([^ ]*\).*/\1/p' "$f")" "$(sed -n 's/.* errors=\([^ ]*\).*/\1/p' "$f")";; esac; done)"
