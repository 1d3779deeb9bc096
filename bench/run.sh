#!/usr/bin/env bash
# bench/run.sh: pgwarden's benchmark, in one run.
#
#   throughput  pgbench through pgwarden, PgBouncer (session mode) and HAProxy (TCP mode), and
#               directly; targets alternate per repeat; TPS, average and p99 latency, proxy CPU
#               per 10,000 transactions, TPS ratios against direct
#   memory      pgwarden's RSS and heap with many idle sessions, then with many active ones
#   failover    kill -9 of the primary under a writer through pgwarden, N times: detection,
#               fence, promotion and first successful write, measured from the kill
#
# Everything runs on 127.0.0.1 under $BASE: a primary and two streaming standbys built with
# the installed PostgreSQL binaries (as the postgres OS user when run as root), the proxies,
# pgbench. Everything started is stopped on exit. The report is markdown (RESULTS).
#
#   bench/run.sh                                                    # full run
#   DURATION=3 REPEATS=1 CLIENTS=16 FAILOVER_RUNS=2 bench/run.sh    # smoke run
#
# Knobs are environment variables; bench/README.md lists them all.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

# ------------------------------------------------------------------------------------ knobs
SECTIONS=${SECTIONS:-"throughput memory failover"}
TARGETS=${TARGETS:-"direct pgwarden pgbouncer haproxy"}
WORKLOADS=${WORKLOADS:-"select_simple select_extended select_prepared tpcb connect"}
CLIENTS=${CLIENTS:-"16 64"}
DURATION=${DURATION:-15}              # seconds per pgbench run (-T)
REPEATS=${REPEATS:-3}
WARMUP=${WARMUP:-5}                   # seconds of select-only through each target before measuring
PAUSE=${PAUSE:-2}                     # quiet seconds before each run
THREADS=${THREADS:-$(nproc)}          # pgbench -j
SCALE=${SCALE:-10}                    # pgbench -i -s
LATENCY_SAMPLING=${LATENCY_SAMPLING:-0.1}  # pgbench --sampling-rate of select-only runs (p99)
IDLE_SESSIONS=${IDLE_SESSIONS:-1000}
ACTIVE_SESSIONS=${ACTIVE_SESSIONS:-200}
MEMORY_DURATION=${MEMORY_DURATION:-$((DURATION > 10 ? DURATION : 10))}  # seconds of samples, 200 active
FAILOVER_RUNS=${FAILOVER_RUNS:-10}
FAILOVER_STEADY=${FAILOVER_STEADY:-2}  # seconds of acknowledged writes before the kill
FAILOVER_TIMEOUT=${FAILOVER_TIMEOUT:-60}
HEALTH_INTERVAL=${HEALTH_INTERVAL:-250ms}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-500ms}
FAILURES_BEFORE_DOWN=${FAILURES_BEFORE_DOWN:-3}
PGWARDEN_JAVA_OPTS=${PGWARDEN_JAVA_OPTS:-}
PGWARDEN_BUILD=${PGWARDEN_BUILD:-auto}  # auto: build the jar when bin/pgwarden would; never
BASE=${BASE:-/tmp/pgwarden-bench}
PORT_BASE=${PORT_BASE:-25400}
KEEP_DATA=${KEEP_DATA:-}
RESULTS=${RESULTS:-$ROOT/bench/results/$(date +%Y-%m-%d-%H%M).md}
if [[ -z ${PGBIN:-} ]]; then
  PGBIN=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
fi

# Loopback ports, below the kernel's ephemeral range so a client socket never holds one.
P_PG=($((PORT_BASE + 1)) $((PORT_BASE + 2)) $((PORT_BASE + 3)))   # pg1 (primary at start), pg2, pg3
P_RW=$((PORT_BASE + 11))
P_RO=$((PORT_BASE + 12))
P_ADMIN=$((PORT_BASE + 13))
P_PGBOUNCER=$((PORT_BASE + 21))
P_HAPROXY=$((PORT_BASE + 31))
declare -A TARGET_PORT=([direct]=${P_PG[0]} [pgwarden]=$P_RW [pgbouncer]=$P_PGBOUNCER [haproxy]=$P_HAPROXY)
declare -A TARGET_DESC=(
  [direct]="libpq straight to the primary"
  [pgwarden]="pgwarden, listener rw (route = primary)"
  [pgbouncer]="PgBouncer, pool_mode = session"
  [haproxy]="HAProxy, mode tcp"
)
declare -A WL_LABEL=(
  [select_simple]="select-only -M simple"
  [select_extended]="select-only -M extended"
  [select_prepared]="select-only -M prepared"
  [tpcb]="TPC-B-like -M simple"
  [connect]="select-only, connect per tx (-C)"
)
declare -A WL_ARGS=(
  [select_simple]="-S -M simple"
  [select_extended]="-S -M extended"
  [select_prepared]="-S -M prepared"
  [tpcb]="-M simple"
  [connect]="-S -C -M simple"
)
DB=bench
DBUSER=postgres
MAX_CONNECTIONS=$((IDLE_SESSIONS + 100))
HZ=$(getconf CLK_TCK)
T0=$SECONDS
STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
SKIPPED_NOTES=()

# ---------------------------------------------------------------------------- basics
log() { printf '[%s +%4ds] %s\n' "$(date +%H:%M:%S)" "$((SECONDS - T0))" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
now_ms() { date +%s%3N; }
has() { [[ " $1 " == *" $2 "* ]]; }

# Servers run as postgres when we are root (PostgreSQL refuses root, PgBouncer too);
# setpriv execs in place, so the pid we start is the server's own pid.
if [[ $(id -u) == 0 ]]; then
  SVC_USER=postgres
  SVC=(setpriv --reuid=postgres --regid=postgres --init-groups --)
else
  SVC_USER=$(id -un)
  SVC=()
fi
svc() { "${SVC[@]}" "$@"; }
svc_dir() { # svc_dir DIR...: directories the servers (and pgwarden's state file) write into
  mkdir -p "$@"
  if ((${#SVC[@]})); then chown "$SVC_USER": "$@"; fi
}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JSTAT=${JAVA_HOME:+$JAVA_HOME/bin/}jstat
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd

psql_at() { # psql_at PORT SQL: one query over TCP, unaligned output
  PGCONNECT_TIMEOUT=5 "$PGBIN/psql" -X -q -At -h 127.0.0.1 -p "$1" -U "$DBUSER" -d "${3:-$DB}" -c "$2"
}

median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# nearest-rank percentile: the smallest value with at least P % of the values at or below it
percentile() { sort -g | awk -v p="$1" '{v[NR] = $1} END {if (NR == 0) {print ""; exit} i = int(NR * p / 100); if (i < NR * p / 100) i++; if (i < 1) i = 1; print v[i]}'; }

# ------------------------------------------------------------------ process bookkeeping
# Every process we start is registered as "name pid starttime" in $BASE/procs; we signal a
# pid only while its start time (field 22 of /proc/PID/stat) still matches, never by name.
start_time_of() { awk '{sub(/^.*\) /, ""); print $20}' "/proc/$1/stat" 2>/dev/null; }
register() { echo "$1 $2 $(start_time_of "$2")" >>"$BASE/procs"; }
# alive PID STARTTIME: running, and still the process we started (a zombie counts as gone:
# children of a killed postmaster are reaped by init, which may take a while)
alive() {
  [[ -n $2 && -e /proc/$1 ]] || return 1
  local state st
  read -r state st < <(awk '{sub(/^.*\) /, ""); print $1, $20}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ $st == "$2" && $state != Z ]]
}

running() { [[ -e /proc/$1 && $(awk '{sub(/^.*\) /, ""); print $1}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

pid_of() { awk -v n="$1" '$1 == n {p = $2} END {print p}' "$BASE/procs" 2>/dev/null; }

stop_pid() { # stop_pid PID STARTTIME [SIGNAL]: signal, wait up to 15 s, then SIGKILL
  local pid=$1 st=$2 sig=${3:-TERM} i
  alive "$pid" "$st" || return 0
  kill -"$sig" "$pid" 2>/dev/null || true
  for i in $(seq 1 150); do alive "$pid" "$st" || return 0; sleep 0.1; done
  log "pid $pid ignored SIG$sig for 15 s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

stop_named() { # stop_named NAME: every registered process of that name
  [[ -f $BASE/procs ]] || return 0
  local name pid st
  while read -r name pid st; do
    [[ $name == "$1" ]] && stop_pid "$pid" "$st"
  done <"$BASE/procs"
  return 0
}

# spawn NAME USER CMD...: start CMD in the background (USER svc: as the server user; me: as
# ourselves), output appended to $BASE/logs/NAME.log, pid registered under NAME
spawn() {
  local name=$1 who=$2; shift 2
  local run=("$@")
  [[ $who == svc ]] && run=("${SVC[@]}" "$@")
  (cd "$BASE" && exec "${run[@]}") >>"$BASE/logs/$name.log" 2>&1 </dev/null &
  register "$name" "$!"
  echo "$!"
}

# ---------------------------------------------------------------------------- postgres
pg_start() { # pg_start DATADIR NAME
  svc "$PGBIN/pg_ctl" -D "$1" -l "$BASE/logs/$2.log" -w -t 120 start >/dev/null
  echo "$1" >>"$BASE/pgdirs"
}
pg_stop() { # pg_stop DATADIR [MODE]
  [[ -f $1/postmaster.pid ]] || return 0
  svc "$PGBIN/pg_ctl" -D "$1" -m "${2:-fast}" -w -t 60 stop >/dev/null 2>&1 ||
    svc "$PGBIN/pg_ctl" -D "$1" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
}
postmaster_pid() { head -n 1 "$1/postmaster.pid"; }

# make_cluster DIR PROFILE: pg1 primary + pg2, pg3 streaming standbys under DIR, started.
# PROFILE throughput: the settings of shared/bench/anchors-results.md (async commit, no
# autovacuum); failover: stock durability (synchronous_commit = on, fsync), small buffers.
make_cluster() {
  local dir=$1 profile=$2 i
  svc_dir "$(dirname "$dir")" "$dir"
  svc "$PGBIN/initdb" -D "$dir/pg1" -U "$DBUSER" --auth=trust --no-locale -E UTF8 --no-sync >"$BASE/logs/initdb.log"
  {
    echo
    echo "# ---- bench/run.sh ($profile) ----"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = ${P_PG[0]}"
    echo "unix_socket_directories = '$BASE/sock'"
    echo "max_connections = $MAX_CONNECTIONS"
    echo "wal_level = replica"
    echo "max_wal_senders = 10"
    echo "jit = off"
    echo "log_min_messages = warning"
    if [[ $profile == throughput ]]; then
      echo "shared_buffers = 512MB"
      echo "synchronous_commit = off   # the proxies are measured, not the disk flush"
      echo "max_wal_size = 4GB         # no size-triggered checkpoint inside a run"
      echo "checkpoint_timeout = 30min # an explicit CHECKPOINT before every run instead"
      echo "autovacuum = off           # an explicit VACUUM before every TPC-B run instead"
    else
      echo "shared_buffers = 128MB"
    fi
  } >>"$dir/pg1/postgresql.conf"
  pg_start "$dir/pg1" "$(basename "$dir")-pg1"
  for i in 2 3; do
    svc "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "${P_PG[0]}" -U "$DBUSER" -D "$dir/pg$i" -R -X stream -c fast
    printf 'port = %s\n' "${P_PG[i - 1]}" >>"$dir/pg$i/postgresql.conf"
    pg_start "$dir/pg$i" "$(basename "$dir")-pg$i"
  done
  psql_at "${P_PG[0]}" "create database $DB" postgres >/dev/null
  wait_streaming 2
}

# wait_streaming N [soft]: until N standbys stream from pg1 and have replayed everything; after
# 60 s fatal, or with "soft" a warning (a run may start while a standby is a little behind)
wait_streaming() {
  local i
  for i in $(seq 1 240); do
    [[ $(psql_at "${P_PG[0]}" "select count(*) filter (where state = 'streaming' and replay_lsn >= pg_current_wal_lsn()) from pg_stat_replication" 2>/dev/null) == "$1" ]] && return 0
    sleep 0.25
  done
  [[ ${2:-} == soft ]] || die "the standbys of ${P_PG[0]} are not streaming, or not caught up, after 60 s"
  log "warning: the standbys have not replayed everything after 60 s; running anyway"
}

wait_sql() { # wait_sql PORT NAME [SECONDS]: until "select 1" works through PORT
  local i
  for i in $(seq 1 $((${3:-60} * 4))); do
    psql_at "$1" "select 1" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  log "---- tail of $BASE/logs/$2.log"; tail -n 30 "$BASE/logs/$2.log" >&2 || true
  die "$2 on port $1 did not answer 'select 1' within ${3:-60} s"
}

# ----------------------------------------------------------------------------- proxies
install_proxies() {
  local want=() t bin
  for t in pgbouncer haproxy; do
    has "$TARGETS" "$t" || continue
    command -v "$t" >/dev/null 2>&1 || [[ -x /usr/sbin/$t ]] || want+=("$t")
  done
  ((${#want[@]})) || return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing ${want[*]} with apt-get"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${want[@]}" >"$BASE/logs/apt.log" 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$BASE/logs/apt.log" 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${want[@]}" >>"$BASE/logs/apt.log" 2>&1 || true
    fi
    echo "apt-get install -y ${want[*]}" >>"$BASE/commands"
  fi
  for t in "${want[@]}"; do
    bin=$(proxy_bin "$t")
    if [[ -z $bin ]]; then
      SKIPPED_NOTES+=("$t was not installed (needs root for apt-get, or install it yourself): target skipped")
      log "${SKIPPED_NOTES[-1]}"
      TARGETS=$(tr ' ' '\n' <<<"$TARGETS" | awk -v t="$t" '$0 != t' | tr '\n' ' ')
    fi
  done
}
proxy_bin() { command -v "$1" 2>/dev/null || { [[ -x /usr/sbin/$1 ]] && echo "/usr/sbin/$1"; } || true; }

start_pgbouncer() {
  local dir=$BASE/pgbouncer pool
  pool=$(tr ' ' '\n' <<<"$CLIENTS" | sort -n | tail -n 1)
  svc_dir "$dir"
  echo "\"$DBUSER\" \"\"" >"$dir/userlist.txt"
  cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=${P_PG[0]}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $P_PGBOUNCER
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = session
; one server connection per client: no client ever waits for the pool
default_pool_size = $((pool + 10))
max_client_conn = $((MAX_CONNECTIONS + 100))
log_connections = 0
log_disconnections = 0
EOF
  if ((${#SVC[@]})); then chown "$SVC_USER": "$dir"/*; fi
  spawn pgbouncer svc "$(proxy_bin pgbouncer)" "$dir/pgbouncer.ini" >/dev/null
  echo "$(proxy_bin pgbouncer) $dir/pgbouncer.ini" >>"$BASE/commands"
}

start_haproxy() {
  local dir=$BASE/haproxy
  svc_dir "$dir"
  cat >"$dir/haproxy.cfg" <<EOF
global
    maxconn $((MAX_CONNECTIONS * 2))
    # nbthread: HAProxy's default, one thread per CPU

defaults
    mode tcp
    timeout connect 5s
    timeout client 1h
    timeout server 1h

frontend postgres
    bind 127.0.0.1:$P_HAPROXY
    default_backend primary

backend primary
    server pg1 127.0.0.1:${P_PG[0]}
EOF
  spawn haproxy svc "$(proxy_bin haproxy)" -db -f "$dir/haproxy.cfg" >/dev/null
  echo "$(proxy_bin haproxy) -db -f $dir/haproxy.cfg" >>"$BASE/commands"
}

# write_pgwarden_conf FILE STATE_FILE LOG_FORMAT
write_pgwarden_conf() {
  cat >"$1" <<EOF
pgwarden {
  listeners = [
    { name = "rw", host = "127.0.0.1", port = $P_RW, route = "primary" }
    { name = "ro", host = "127.0.0.1", port = $P_RO, route = "standby" }
  ]
  backends = [
    { name = "pg1", host = "127.0.0.1", port = ${P_PG[0]} }
    { name = "pg2", host = "127.0.0.1", port = ${P_PG[1]} }
    { name = "pg3", host = "127.0.0.1", port = ${P_PG[2]} }
  ]
  monitor { user = "$DBUSER", database = "postgres" }
  health {
    interval = $HEALTH_INTERVAL
    timeout = $HEALTH_TIMEOUT
    failures-before-down = $FAILURES_BEFORE_DOWN
  }
  failover {
    mode = "automatic"
    state-file = "$2"
  }
  admin { host = "127.0.0.1", port = $P_ADMIN }
  limits { max-client-connections = $((IDLE_SESSIONS + 200)) }
  tls.backend.mode = "disable"
  logging { format = "$3", level = "info" }
}
EOF
}

start_pgwarden() { # start_pgwarden LOG_NAME CONF
  local pid
  # PGWARDEN_JAVA_OPTS is a list of JVM options, split on blanks as bin/pgwarden does
  # shellcheck disable=SC2086
  pid=$(spawn "$1" svc "$JAVA" $PGWARDEN_JAVA_OPTS -jar "$BASE/pgwarden.jar" run --config "$2")
  # the name the pid is registered under is always pgwarden, whatever the log is called
  echo "pgwarden $pid $(start_time_of "$pid")" >>"$BASE/procs"
  wait_sql "$P_RW" "$1" 90
  echo "$pid"
}

# --------------------------------------------------------------------------- builds
prepare_pgwarden() {
  local jar=$ROOT/server/target/pgwarden.jar
  if [[ $PGWARDEN_BUILD != never || ! -f $jar ]]; then
    log "checking $jar (bin/pgwarden builds it when missing or older than the sources)"
    "$ROOT/bin/pgwarden" --version >"$BASE/logs/pgwarden-build.log" 2>&1 ||
      { tail -n 30 "$BASE/logs/pgwarden-build.log" >&2; die "building pgwarden failed"; }
  fi
  # a copy: a rebuild of the checkout during the run must not change the jar under a JVM
  cp "$jar" "$BASE/pgwarden.jar"
  chmod a+r "$BASE/pgwarden.jar"
  PGWARDEN_VERSION=$("$JAVA" -jar "$BASE/pgwarden.jar" --version 2>&1) ||
    die "the copy of $jar does not run (was it being rebuilt?): $PGWARDEN_VERSION"
  PGWARDEN_VERSION=$(head -n 1 <<<"$PGWARDEN_VERSION")
}

prepare_tools() {
  local jar=$HERE/tools/target/pgwarden-bench-tools.jar
  if [[ ! -f $jar || -n $(find "$HERE/tools/src/main" "$HERE/tools/pom.xml" -newer "$jar" -print -quit) ]]; then
    log "building bench/tools (failover writer)"
    mvn -B -q -o -f "$HERE/tools/pom.xml" package -DskipTests >"$BASE/logs/tools-build.log" 2>&1 ||
      mvn -B -q -f "$HERE/tools/pom.xml" package -DskipTests >>"$BASE/logs/tools-build.log" 2>&1 ||
      { tail -n 30 "$BASE/logs/tools-build.log" >&2; die "building bench/tools failed"; }
  fi
  cp "$jar" "$BASE/tools.jar"
}

# ------------------------------------------------------------------------ CPU accounting
# tree_ticks PID...: utime+stime+cutime+cstime of the pids and all their descendants, in
# clock ticks. The c* fields carry the CPU of children that exited and were reaped (postgres
# backends of a connect-per-transaction run).
tree_ticks() {
  ps -e -o pid=,ppid= | awk -v roots="$*" '
    { children[$2] = children[$2] " " $1 }
    END {
      n = split(roots, queue, " "); sum = 0
      for (i = 1; i <= n; i++) {
        file = "/proc/" queue[i] "/stat"
        if ((getline line < file) > 0) {
          sub(/^.*\) /, "", line); split(line, f, " ")
          sum += f[12] + f[13] + f[14] + f[15]
        }
        close(file)
        m = split(children[queue[i]], kids, " ")
        for (j = 1; j <= m; j++) queue[++n] = kids[j]
      }
      print sum
    }'
}
# machine-wide ticks: busy steal idle
machine_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8, $9, $5 + $6}' /proc/stat; }

# --------------------------------------------------------------------------- throughput
pre_run() { # the same starting state for every target, always prepared directly on pg1
  if [[ $1 == tpcb ]]; then  # what pgbench does itself before a run without -n
    psql_at "${P_PG[0]}" "vacuum pgbench_branches" >/dev/null
    psql_at "${P_PG[0]}" "vacuum pgbench_tellers" >/dev/null
    psql_at "${P_PG[0]}" "truncate pgbench_history" >/dev/null
  fi
  psql_at "${P_PG[0]}" "checkpoint" >/dev/null
  wait_streaming 2 soft
  sleep "$PAUSE"
}

pgbench_args() { # pgbench_args TARGET WORKLOAD CLIENTS -> the command line, one word per line
  local rate=1
  [[ $2 == select_* ]] && rate=$LATENCY_SAMPLING
  # shellcheck disable=SC2086
  printf '%s\n' "$PGBIN/pgbench" -n -h 127.0.0.1 -p "${TARGET_PORT[$1]}" -U "$DBUSER" ${WL_ARGS[$2]} \
    -c "$3" -j "$((THREADS < $3 ? THREADS : $3))" -T "$DURATION" \
    --log --log-prefix="$BASE/lat/tx" --sampling-rate="$rate" "$DB"
}

run_one() { # run_one TARGET WORKLOAD CLIENTS REPEAT SEQ
  local t=$1 wl=$2 c=$3 rep=$4 seq=$5
  local out=$BASE/runs/$wl.c$c.$t.r$rep.out
  local cmd=() proxy="" pgpids px0=0 px1=0 pg0 pg1 m0 m1 rc=0 tim
  mapfile -t cmd < <(pgbench_args "$t" "$wl" "$c")
  [[ $t != direct ]] && proxy=$(pid_of "$t")
  pgpids="$(postmaster_pid "$BASE/tp/pg1") $(postmaster_pid "$BASE/tp/pg2") $(postmaster_pid "$BASE/tp/pg3")"
  pre_run "$wl"
  rm -f "$BASE"/lat/tx.*
  if [[ -n $proxy ]] && ! running "$proxy"; then
    rc=98; echo "$t (pid $proxy) is not running" >"$out"
  else
    [[ -n $proxy ]] && px0=$(tree_ticks "$proxy")
    # shellcheck disable=SC2086
    pg0=$(tree_ticks $pgpids); m0=$(machine_ticks)
    tim=$( { TIMEFORMAT='%R %U %S'; time "${cmd[@]}" >"$out" 2>&1 || echo "rc=$?" >>"$out"; } 2>&1 )
    [[ -n $proxy ]] && px1=$(tree_ticks "$proxy")
    # shellcheck disable=SC2086
    pg1=$(tree_ticks $pgpids); m1=$(machine_ticks)
    if grep -q '^rc=' "$out"; then rc=$(sed -n 's/^rc=//p' "$out" | tail -n 1); fi
  fi
  local tps lat summary_lat ntx failed p99 samples
  tps=$(awk '/^tps = /{print $3; exit}' "$out"); tps=${tps:-0}
  # without --progress pgbench's "latency average" is run time x clients / transactions, which
  # with -C includes connecting; the table takes average and p99 from the per-transaction log
  summary_lat=$(awk '/^latency average = /{print $4; exit}' "$out"); summary_lat=${summary_lat:-0}
  ntx=$(awk -F': ' '/^number of transactions actually processed/{print $2 + 0; exit}' "$out"); ntx=${ntx:-0}
  failed=$(awk -F': ' '/^number of failed transactions/{print $2 + 0; exit}' "$out"); failed=${failed:-0}
  # pgbench can exit 0 and still report failed transactions or aborted clients
  if [[ $rc == 0 ]] && { [[ $failed != 0 ]] || grep -qiE 'aborted|error' "$out"; }; then rc=99; fi
  # per-transaction log: client tx latency_us script epoch epoch_us; failed ones are not numbers
  read -r samples lat p99 < <(cat "$BASE"/lat/tx.* 2>/dev/null | awk '$3 ~ /^[0-9]+$/ {print $3}' | sort -n |
    awk '{v[NR] = $1; sum += $1} END {if (NR == 0) {print 0, 0, 0; exit} i = int(NR * 0.99); if (i < NR * 0.99) i++
      printf "%d %.3f %.3f\n", NR, sum / NR / 1000, v[i] / 1000}')
  rm -f "$BASE"/lat/tx.*
  local wall bu bs
  read -r wall bu bs <<<"${tim:-0 0 0}"
  local row
  row=$(awk -v hz="$HZ" -v wl="$wl" -v c="$c" -v t="$t" -v rep="$rep" -v seq="$seq" -v tps="$tps" -v lat="$lat" \
            -v p99="$p99" -v ntx="$ntx" -v failed="$failed" -v rc="$rc" -v wall="$wall" -v bu="$bu" -v bs="$bs" \
            -v px0="$px0" -v px1="$px1" -v pg0="${pg0:-0}" -v pg1="${pg1:-0}" -v m0="${m0:-0 0 0}" -v m1="${m1:-0 0 0}" \
            -v samples="$samples" -v slat="$summary_lat" 'BEGIN {
      split(m0, a, " "); split(m1, b, " ")
      printf "%s\t%d\t%s\t%d\t%d\t%.1f\t%.3f\t%.3f\t%d\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t%.3f\n",
        wl, c, t, rep, seq, tps, lat, p99, ntx, failed, rc, wall, (px1 - px0) / hz, (pg1 - pg0) / hz,
        bu + bs, (b[2] - a[2]) / hz, (b[3] - a[3]) / hz, samples, slat }')
  echo "$row" >>"$BASE/throughput.tsv"
  log "$(awk -F'\t' '{printf "%-16s c=%-3s %-9s rep %d: tps %9.1f  avg %7.3f ms  p99 %7.3f ms  proxy CPU %5.2f s  rc %s", $1, $2, $3, $4, $6, $7, $8, $13, $11}' <<<"$row")"
  if [[ $rc != 0 ]]; then log "  -> $out:"; tail -n 5 "$out" >&2; fi
}

section_throughput() {
  local t wl c rep seq=0 i fwd order w
  for t in $TARGETS; do
    [[ $t == direct ]] && continue
    log "starting $t on 127.0.0.1:${TARGET_PORT[$t]}"
    case $t in
      pgwarden) start_pgwarden pgwarden "$BASE/pgwarden/pgwarden.conf" >/dev/null ;;
      pgbouncer) start_pgbouncer; wait_sql "$P_PGBOUNCER" pgbouncer 90 ;;
      haproxy) start_haproxy; wait_sql "$P_HAPROXY" haproxy 90 ;;
    esac
  done
  mkdir -p "$BASE/runs" "$BASE/lat"
  : >"$BASE/throughput.tsv"
  local maxc; maxc=$(tr ' ' '\n' <<<"$CLIENTS" | sort -n | tail -n 1)
  # the JIT compiles pgwarden's forwarding path during the select-only warm-up, and its
  # connection set-up path during the connect-per-transaction one
  local warm=("-S")
  has "$WORKLOADS" connect && warm+=("-S -C")
  log "warm-up through each target: ${WARMUP} s select-only$( ((${#warm[@]} > 1)) && echo ", ${WARMUP} s connect per transaction")"
  for t in $TARGETS; do
    for w in "${warm[@]}"; do
      # shellcheck disable=SC2086
      "$PGBIN/pgbench" -n $w -c "$maxc" -j "$((THREADS < maxc ? THREADS : maxc))" -T "$WARMUP" -h 127.0.0.1 \
        -p "${TARGET_PORT[$t]}" -U "$DBUSER" "$DB" >"$BASE/runs/warmup.$t.out" 2>&1 ||
        log "warm-up through $t failed: $(tail -n 3 "$BASE/runs/warmup.$t.out" | tr '\n' ' ')"
    done
  done
  read -r -a fwd <<<"$TARGETS"
  for rep in $(seq 1 "$REPEATS"); do
    # odd repeats run the targets forward, even ones backward: drift of a shared machine then
    # hits every target alike
    order=()
    if ((rep % 2)); then order=("${fwd[@]}"); else for ((i = ${#fwd[@]} - 1; i >= 0; i--)); do order+=("${fwd[i]}"); done; fi
    for c in $CLIENTS; do
      for wl in $WORKLOADS; do
        for t in "${order[@]}"; do
          seq=$((seq + 1))
          run_one "$t" "$wl" "$c" "$rep" "$seq"
        done
      done
    done
  done
  proxy_facts >"$BASE/proxy-facts.txt"
  if has "$TARGETS" pgwarden; then JVM_FLAGS=$(jvm_flags "$(pid_of pgwarden)"); fi
}

jvm_flags() { # the JVM's garbage collector and heap limits, as it chose them
  svc "$JCMD" "$1" VM.flags 2>/dev/null | tail -n 1 | tr ' ' '\n' |
    grep -E '^-XX:(\+Use[A-Za-z0-9]*GC|MaxHeapSize|InitialHeapSize|MaxDirectMemorySize)=?' | tr '\n' ' ' || true
}

proxy_facts() { # threads and JVM flags of the proxies, for the report
  local t pid
  for t in $TARGETS; do
    [[ $t == direct ]] && continue
    pid=$(pid_of "$t")
    if [[ -z $pid ]] || ! running "$pid"; then continue; fi
    printf -- '- %s: pid %s, %s threads\n' "$t" "$pid" "$(awk '/^Threads:/{print $2}' "/proc/$pid/status")"
  done
}

# ------------------------------------------------------------------------------ memory
# mem_sample PID -> rss_kib heap_used_kib heap_committed_kib metaspace_kib threads fds
mem_sample() {
  local pid=$1 rss threads fds heap
  rss=$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status")
  threads=$(awk '/^Threads:/{print $2}' "/proc/$pid/status")
  fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  heap=$(svc "$JSTAT" -gc "$pid" 2>/dev/null | awk 'NR == 1 {for (i = 1; i <= NF; i++) h[$i] = i}
    NR == 2 {printf "%.0f %.0f %.0f", $h["S0U"] + $h["S1U"] + $h["EU"] + $h["OU"], $h["S0C"] + $h["S1C"] + $h["EC"] + $h["OC"], $h["MU"]}')
  echo "$rss ${heap:-0 0 0} $threads $fds"
}
full_gc() { svc "$JCMD" "$1" GC.run >/dev/null 2>&1 || log "jcmd $1 GC.run failed"; }

commits() { psql_at "${P_PG[0]}" "select xact_commit from pg_stat_database where datname = '$DB'"; }
client_sessions() { # pgbench sessions on pg1
  psql_at "${P_PG[0]}" "select count(*) from pg_stat_activity where backend_type = 'client backend' and application_name = 'pgbench'" 2>/dev/null || echo 0
}
# memory_row STATE SESSIONS SAMPLE_BEFORE_GC SAMPLE_AFTER_GC NOTE
memory_row() {
  local b a
  read -r -a b <<<"$3"
  read -r -a a <<<"$4"
  awk -v state="$1" -v s="$2" -v rss="${b[0]}" -v used="${b[1]}" -v live="${a[1]}" -v comm="${b[2]}" \
      -v meta="${b[3]}" -v th="${b[4]}" -v fds="${b[5]}" -v rssgc="${a[0]}" -v note="$5" 'BEGIN {
    printf "%s\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%s\t%s\t%s\n", state, s, rss / 1024, rssgc / 1024, used / 1024,
      live / 1024, comm / 1024, meta / 1024, th, fds, note }' >>"$BASE/memory.tsv"
}

sessions_at_least() { # sessions_at_least N SECONDS PGBENCH_PID: 0 once N sessions are open
  local i n
  for i in $(seq 1 $(($2 * 2))); do
    n=$(client_sessions)
    ((n >= $1)) && return 0
    running "$3" || return 1
    sleep 0.5
  done
  return 1
}
sessions_gone() { # sessions_gone SECONDS
  local i
  for i in $(seq 1 $(($1 * 2))); do
    (($(client_sessions) == 0)) && return 0
    sleep 0.5
  done
  return 1
}

section_memory() {
  local pid bpid before after st rss_list=""
  # a fresh pgwarden: what the throughput runs left in its heap and arenas is not measured here
  stop_named pgwarden
  write_pgwarden_conf "$BASE/pgwarden/memory.conf" "$BASE/pgwarden/memory-state.json" text
  log "memory: starting a fresh pgwarden"
  pid=$(start_pgwarden pgwarden-memory "$BASE/pgwarden/memory.conf")
  log "warm-up: ${WARMUP} s select-only through pgwarden"
  "$PGBIN/pgbench" -n -S -c 16 -j "$THREADS" -T "$WARMUP" -h 127.0.0.1 -p "$P_RW" -U "$DBUSER" "$DB" \
    >"$BASE/logs/memory-warmup.out" 2>&1 || true
  : >"$BASE/memory.tsv"
  if curl -fsS -m 2 "http://127.0.0.1:$P_ADMIN/metrics" >"$BASE/logs/metrics-before.txt" 2>/dev/null; then
    METRICS_NOTE="The admin endpoint /metrics answered (saved in the logs); the heap figures still come from jstat"
  else
    METRICS_NOTE="The admin endpoint http://127.0.0.1:$P_ADMIN/metrics did not answer, hence jstat and jcmd"
  fi

  log "memory: baseline (no client sessions)"
  sessions_gone 30 || true
  before=$(mem_sample "$pid"); full_gc "$pid"; after=$(mem_sample "$pid")
  memory_row "baseline, after start and warm-up" 0 "$before" "$after" ""

  # idle sessions: pgbench clients that only sleep, so each holds a session and sends nothing
  printf '\\sleep 1 s\n' >"$BASE/idle.sql"
  log "memory: opening $IDLE_SESSIONS idle sessions through pgwarden"
  bpid=$(spawn pgbench-idle me "$PGBIN/pgbench" -n -f "$BASE/idle.sql" -c "$IDLE_SESSIONS" \
    -j "$THREADS" -T 600 -h 127.0.0.1 -p "$P_RW" -U "$DBUSER" "$DB")
  echo "$PGBIN/pgbench -n -f $BASE/idle.sql -c $IDLE_SESSIONS -j $THREADS -T 600 -h 127.0.0.1 -p $P_RW -U $DBUSER $DB   # idle sessions, idle.sql = '\\sleep 1 s'" >>"$BASE/commands"
  if sessions_at_least "$IDLE_SESSIONS" 180 "$bpid"; then
    sleep 2
    before=$(mem_sample "$pid"); full_gc "$pid"; after=$(mem_sample "$pid")
    memory_row "$IDLE_SESSIONS idle sessions" "$(client_sessions)" "$before" "$after" ""
  else
    memory_row "$IDLE_SESSIONS idle sessions" "$(client_sessions)" "0 0 0 0 0 0" "0 0 0 0 0 0" \
      "FAILED: not all sessions opened, see $BASE/logs/pgbench-idle.log"
    log "idle sessions did not all open: $(tail -n 3 "$BASE/logs/pgbench-idle.log" | tr '\n' ' ')"
  fi
  st=$(start_time_of "$bpid"); stop_pid "$bpid" "$st"; wait "$bpid" 2>/dev/null || true
  sessions_gone 60 || log "pgbench sessions still open on pg1 after the idle pgbench ended"

  log "memory: $ACTIVE_SESSIONS active sessions (select-only), sampled for $MEMORY_DURATION s once all are open"
  # pgbench runs longer than needed and is stopped after the samples: its -T clock starts
  # before its clients have connected, which takes seconds for hundreds of sessions
  bpid=$(spawn pgbench-active me "$PGBIN/pgbench" -n -S -M simple -c "$ACTIVE_SESSIONS" -j "$THREADS" \
    -T $((MEMORY_DURATION + 300)) -h 127.0.0.1 -p "$P_RW" -U "$DBUSER" "$DB")
  echo "$PGBIN/pgbench -n -S -M simple -c $ACTIVE_SESSIONS -j $THREADS -T $((MEMORY_DURATION + 300)) -h 127.0.0.1 -p $P_RW -U $DBUSER $DB   # active sessions, stopped after $MEMORY_DURATION s of samples" >>"$BASE/commands"
  if sessions_at_least "$ACTIVE_SESSIONS" 180 "$bpid"; then
    local t_start=$SECONDS live="" x0 x1 jpid rss_med rss_max heap tps errors
    # RSS every second from /proc; the heap from one jstat that prints every second (starting
    # a jstat per sample would take longer than a second on a busy machine)
    jpid=$(spawn jstat-active svc "$JSTAT" -gc "$pid" 1000)
    x0=$(commits)
    while running "$bpid" && ((SECONDS - t_start < MEMORY_DURATION)); do
      rss_list+="$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status")"$'\n'
      # one full GC in the middle of the load gives the live heap with every session open
      if [[ -z $live ]] && ((10 * (SECONDS - t_start) >= 6 * MEMORY_DURATION)); then
        full_gc "$pid"; live=$(mem_sample "$pid")
      fi
      sleep 1
    done
    x1=$(commits)
    tps=$(awk -v a="$x0" -v b="$x1" -v t="$((SECONDS - t_start))" 'BEGIN {if (t > 0) printf "%.0f", (b - a) / t; else print "?"}')
    stop_pid "$jpid" "$(start_time_of "$jpid")"
    before=$(mem_sample "$pid")   # threads, fds and metaspace while the sessions are still open
    rss_med=$(median <<<"$rss_list"); rss_max=$(sort -n <<<"$rss_list" | tail -n 1)
    # heap used: median and max over the jstat lines; committed: median
    heap=$(awk 'NR == 1 {for (i = 1; i <= NF; i++) h[$i] = i; next} $1 ~ /^[0-9.]+$/ {
        print $h["S0U"] + $h["S1U"] + $h["EU"] + $h["OU"], $h["S0C"] + $h["S1C"] + $h["EC"] + $h["OC"]}' \
      "$BASE/logs/jstat-active.log" | sort -n | awk '{u[NR] = $1; c[NR] = $2} END {
        if (NR == 0) {print "0 0 0 0"; exit} print u[int((NR + 1) / 2)], u[NR], c[int((NR + 1) / 2)], NR}')
    local hu hmax hc hn b
    read -r hu hmax hc hn <<<"$heap"
    read -r -a b <<<"$before"
    errors=$(grep -ciE 'error|abort' "$BASE/logs/pgbench-active.log" || true)
    memory_row "$ACTIVE_SESSIONS active sessions (select-only)" "$ACTIVE_SESSIONS" \
      "$rss_med $hu $hc ${b[3]} ${b[4]} ${b[5]}" "${live:-0 0 0 0 0 0}" \
      "$(awk -v n="$(wc -l <<<"$rss_list")" -v r="$rss_max" -v u="$hmax" -v hn="$hn" -v tps="$tps" -v e="$errors" 'BEGIN {
        printf "medians of %d RSS and %d heap samples 1 s apart; max RSS %.1f MiB, max heap used %.1f MiB; about %s tps%s",
          n - 1, hn, r / 1024, u / 1024, tps, (e > 0 ? "; pgbench logged " e " error lines" : "") }')"
  else
    memory_row "$ACTIVE_SESSIONS active sessions (select-only)" "$(client_sessions)" "0 0 0 0 0 0" "0 0 0 0 0 0" \
      "FAILED: not all sessions opened, see $BASE/logs/pgbench-active.log"
  fi
  st=$(start_time_of "$bpid"); stop_pid "$bpid" "$st"; wait "$bpid" 2>/dev/null || true
  sessions_gone 60 || true
  sleep 2
  before=$(mem_sample "$pid"); full_gc "$pid"; after=$(mem_sample "$pid")
  memory_row "after every session closed" "$(client_sessions)" "$before" "$after" ""
  JVM_FLAGS=$(jvm_flags "$pid")
}

# ---------------------------------------------------------------------------- failover
# event_ms LOG KIND SINCE_MS [NODE]: epoch ms of the first event KIND (optionally about NODE)
# logged at or after SINCE_MS; pgwarden logs one JSON object per line in the failover runs
event_ms() {
  { grep -F "\"formattedMessage\":\"#" "$1" | grep -F " $2" | { if [[ -n ${4:-} ]]; then grep -F "node=$4 "; else cat; fi; } |
    sed -n 's/.*"timestamp":\([0-9]*\).*/\1/p' | awk -v since="$3" '$1 >= since {print; exit}'; } || true
}
event_node() { # event_node LOG KIND SINCE_MS: the node= of that event
  { grep -F "\"formattedMessage\":\"#" "$1" | grep -F " $2" |
    sed -n 's/.*"timestamp":\([0-9]*\).*node=\([^ ]*\) .*/\1 \2/p' | awk -v since="$3" '$1 >= since {print $2; exit}'; } || true
}

section_failover() {
  local fo=$BASE/fo run
  log "failover: building the pristine cluster"
  make_cluster "$fo/pristine" failover
  psql_at "${P_PG[0]}" "create table bench_failover (run int, id bigint, written_at timestamptz, primary key (run, id))" >/dev/null
  wait_streaming 2
  pg_stop "$fo/pristine/pg1"; pg_stop "$fo/pristine/pg2"; pg_stop "$fo/pristine/pg3"
  : >"$BASE/failover.tsv"
  {
    echo "$JAVA -jar $BASE/tools.jar --url 'jdbc:postgresql://127.0.0.1:$P_RW/$DB?user=$DBUSER' --run N --stop-file FILE   # failover writer (bench/tools)"
    echo "kill -KILL \$(head -n 1 PG1_DATADIR/postmaster.pid)   # the failover"
  } >>"$BASE/commands"
  for run in $(seq 1 "$FAILOVER_RUNS"); do
    failover_run "$run"
  done
}

failover_run() {
  local run=$1 dir=$BASE/fo/run$1 conf=$BASE/pgwarden/failover-run$1.conf
  local log=$BASE/logs/pgwarden-fo-run$1.log wlog=$BASE/logs/writer-run$1.log stop=$BASE/fo/stop-run$1
  local i wpid wst writer victim orphans p kill_ms="" up="" status=ok
  rm -rf "$dir"
  cp -a "$BASE/fo/pristine" "$dir"
  for i in 1 2 3; do pg_start "$dir/pg$i" "fo-run$run-pg$i"; done
  wait_streaming 2
  write_pgwarden_conf "$conf" "$BASE/pgwarden/failover-state-run$run.json" json
  wpid=$(start_pgwarden "pgwarden-fo-run$run" "$conf")
  wst=$(start_time_of "$wpid")
  writer=$(spawn "writer-run$run" me "$JAVA" -jar "$BASE/tools.jar" --url "jdbc:postgresql://127.0.0.1:$P_RW/$DB?user=$DBUSER" \
    --run "$run" --stop-file "$stop")
  for i in $(seq 1 240); do grep -q '^ready ' "$wlog" 2>/dev/null && break; sleep 0.25; done
  if ! grep -q '^ready ' "$wlog"; then
    status="the writer got no write through pgwarden within 60 s"
  else
    sleep "$FAILOVER_STEADY"
    victim=$(postmaster_pid "$dir/pg1")
    # the postmaster's children exit by themselves once it is gone; remember them to make sure
    orphans=$(ps -o pid= --ppid "$victim" | tr -d ' ')
    for p in $orphans; do register orphan "$p"; done
    kill_ms=$(now_ms)
    kill -KILL "$victim"
    log "failover run $run: kill -9 of pg1 (postmaster pid $victim)"
    # pg_ctl must never signal this pid again (it could be reused): pg1 is gone for this run
    for i in $(seq 1 50); do running "$victim" || break; sleep 0.1; done
    rm -f "$dir/pg1/postmaster.pid"
    local deadline=$((SECONDS + FAILOVER_TIMEOUT))
    while ((SECONDS < deadline)); do
      up=$(awk -v k="$kill_ms" '$1 == "down" && $2 >= k {d = 1} d && $1 == "up" {print; exit}' "$wlog")
      [[ -n $up ]] && break
      sleep 0.1
    done
    [[ -n $up ]] || status="no successful write within ${FAILOVER_TIMEOUT} s"
    sleep 1   # a few more acknowledged writes on the new primary
  fi
  touch "$stop"
  for i in $(seq 1 200); do running "$writer" || break; sleep 0.25; done  # it verifies, then exits
  stop_named "writer-run$run"

  if [[ -n $kill_ms ]]; then
    local down_ms up_ms attempts summary suspect lost_ev fenced elected completed newp
    down_ms=$(awk -v k="$kill_ms" '$1 == "down" && $2 >= k {print $2; exit}' "$wlog")
    up_ms=$(awk '{print $2}' <<<"$up"); attempts=$(awk '{print $4}' <<<"$up")
    summary=$(sed -n 's/^summary //p' "$wlog")
    suspect=$(event_ms "$log" NODE_HEALTH_CHANGED "$kill_ms" pg1)
    lost_ev=$(event_ms "$log" PRIMARY_LOST "$kill_ms")
    fenced=$(event_ms "$log" NODE_FENCED "$kill_ms" pg1)
    elected=$(event_ms "$log" PRIMARY_ELECTED "$kill_ms")
    completed=$(event_ms "$log" FAILOVER_COMPLETED "$kill_ms")
    newp=$(event_node "$log" PRIMARY_ELECTED "$kill_ms")
    [[ -n $elected || $status != ok ]] || status="pgwarden logged no PRIMARY_ELECTED after the kill"
    rel() { if [[ -n $1 ]]; then echo $(($1 - kill_ms)); else echo "-"; fi; }
    printf '%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "${newp:--}" "$(rel "$suspect")" \
      "$(rel "$lost_ev")" "$(rel "$fenced")" "$(rel "$elected")" "$(rel "$completed")" "$(rel "$down_ms")" \
      "$(rel "$up_ms")" "${attempts:--}" "$(sed -n 's/.*acknowledged=\([0-9]*\).*/\1/p' <<<"$summary")" \
      "$(sed -n 's/.* lost=\([^ ]*\).*/\1/p' <<<"$summary")" "$status" >>"$BASE/failover.tsv"
  else
    printf '%d\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t%s\n' "$run" "$status" >>"$BASE/failover.tsv"
  fi
  log "$(awk -F'\t' '{printf "failover run %d: new primary %s, detection %s ms, fence %s ms, promote %s ms, first write %s ms, acknowledged writes lost %s (%s)", $1, $2, $4, $5, $6, $9, $12, $13}' <<<"$(tail -n 1 "$BASE/failover.tsv")")"

  stop_pid "$wpid" "$wst"
  for i in 1 2 3; do pg_stop "$dir/pg$i" immediate; done
  stop_named orphan
  [[ -n $KEEP_DATA ]] || rm -rf "$dir"
}

# ----------------------------------------------------------------------------- report
# shellcheck disable=SC2059  # the format is the caller's, e.g. '%.0f'
fmt_or_dash() { if [[ -z $1 ]]; then echo "-"; else printf "$2" "$1"; fi; }

throughput_tables() {
  local f=$BASE/throughput.tsv
  [[ -s $f ]] || return 0
  local proxies="" t
  for t in $TARGETS; do [[ $t == direct ]] || proxies+="$t "; done
  echo "### TPS ratio against direct (median of the per-repeat ratios)"
  echo
  matrix "$f" "$proxies" ratio
  echo
  echo "### Proxy CPU seconds per 10,000 transactions (median), and per transaction"
  echo
  matrix "$f" "$proxies" cpu
  echo
  echo "### All figures"
  echo
  echo "| workload | clients | target | TPS (median) | TPS of each repeat | TPS ratio vs direct | ratio per repeat | avg latency ms | p99 latency ms | proxy CPU s / 10k tx | proxy CPU % of a core | postgres CPU s / 10k tx | steal % | errors |"
  echo "|---|---:|---|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---|"
  local wl c
  for c in $CLIENTS; do
    for wl in $WORKLOADS; do
      for t in $TARGETS; do
        awk -F'\t' -v wl="$wl" -v c="$c" -v t="$t" -v label="${WL_LABEL[$wl]}" -v ncpu="$(nproc)" '
          function med(a, n,   i, j, x) { for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
            return n == 0 ? "" : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) }
          $1 == wl && $2 == c && $3 == "direct" && $11 == 0 { d[$4] = $6 }
          $1 == wl && $2 == c && $3 == t { rows[++nr] = $0 }
          END {
            each = ""; errs = ""; n = 0; nl = 0; np = 0; nr_ = 0; npx = 0; npc = 0; npg = 0; nst = 0
            for (k = 1; k <= nr; k++) {
              split(rows[k], f, "\t")
              if (f[11] != 0) { errs = errs (errs == "" ? "" : ", ") "rep " f[4] ": rc " f[11] (f[10] > 0 ? ", " f[10] " failed tx" : ""); each = each (each == "" ? "" : ", ") "ERR"; continue }
              each = each (each == "" ? "" : ", ") sprintf("%.0f", f[6])
              tps[++n] = f[6]; lat[++nl] = f[7]; p99[++np] = f[8]
              if (f[4] in d && d[f[4]] > 0) { r = f[6] / d[f[4]]; ratio[++nr_] = r; rl = rl (rl == "" ? "" : ", ") sprintf("%.2f", r) }
              if (f[9] > 0) { pxs[++npx] = 1e4 * f[13] / f[9]; pgs[++npg] = 1e4 * f[14] / f[9] }
              if (f[12] > 0) { pxc[++npc] = 100 * f[13] / f[12]; st[++nst] = 100 * f[16] / (ncpu * f[12]) }
            }
            if (nr == 0) exit
            direct = (t == "direct")
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label, c, t,
              n ? sprintf("%.0f", med(tps, n)) : "ERR", each,
              direct ? "1.00" : (nr_ ? sprintf("**%.2f**", med(ratio, nr_)) : "-"), direct ? "-" : rl,
              nl ? sprintf("%.3f", med(lat, nl)) : "-", np ? sprintf("%.3f", med(p99, np)) : "-",
              direct ? "-" : (npx ? sprintf("%.3f", med(pxs, npx)) : "-"), direct ? "-" : (npc ? sprintf("%.0f%%", med(pxc, npc)) : "-"),
              npg ? sprintf("%.3f", med(pgs, npg)) : "-", nst ? sprintf("%.1f", med(st, nst)) : "-", errs == "" ? "" : errs
          }' "$f"
      done
    done
  done
}

matrix() { # matrix FILE "PROXIES" ratio|cpu: rows workload x clients, one column per proxy
  local f=$1 proxies=$2 kind=$3 p wl c line
  line="| workload | clients |"; for p in $proxies; do line+=" $p |"; done; echo "$line"
  line="|---|---:|"; for p in $proxies; do line+="---:|"; done; echo "$line"
  for c in $CLIENTS; do
    for wl in $WORKLOADS; do
      line="| ${WL_LABEL[$wl]} | $c |"
      for p in $proxies; do
        line+=" $(awk -F'\t' -v wl="$wl" -v c="$c" -v t="$p" -v kind="$kind" '
          $11 == 0 && $1 == wl && $2 == c && $3 == "direct" { d[$4] = $6 }
          $11 == 0 && $1 == wl && $2 == c && $3 == t { x[$4] = $6; cpu[$4] = ($9 > 0 ? 1e4 * $13 / $9 : "") }
          END {
            n = 0
            for (r in x) {
              if (kind == "ratio" && (r in d) && d[r] > 0) v[++n] = x[r] / d[r]
              if (kind == "cpu" && cpu[r] != "") v[++n] = cpu[r]
            }
            if (n == 0) { print "-"; exit }
            for (i = 2; i <= n; i++) { y = v[i]; for (j = i - 1; j >= 1 && v[j] > y; j--) v[j + 1] = v[j]; v[j + 1] = y }
            m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
            if (kind == "ratio") printf "%.2f", m; else printf "%.3f (%.0f µs/tx)", m, 100 * m
          }' "$f") |"
      done
      echo "$line"
    done
  done
}

memory_table() {
  [[ -s $BASE/memory.tsv ]] || return 0
  echo "| state | client sessions | RSS MiB | RSS after full GC MiB | heap used MiB | heap after full GC MiB | heap committed MiB | metaspace MiB | threads | open fds | note |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11}' "$BASE/memory.tsv"
}

failover_tables() {
  local f=$BASE/failover.tsv
  [[ -s $f ]] || return 0
  echo "Milliseconds from the kill -9 of the primary's postmaster."
  echo
  echo "| | first failed probe | detection (PRIMARY_LOST) | fence (NODE_FENCED) | promote (PRIMARY_ELECTED) | FAILOVER_COMPLETED | writer saw the failure | first successful write |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  local label col
  for label in median p90 max; do
    local line="| **$label** |"
    for col in 3 4 5 6 7 8 9; do
      local vals
      vals=$(awk -F'\t' -v c="$col" '$c != "-" {print $c}' "$f")
      case $label in
        median) line+=" $(fmt_or_dash "$(median <<<"$vals")" '%.0f') |" ;;
        p90) line+=" $(fmt_or_dash "$(percentile 90 <<<"$vals")" '%.0f') |" ;;
        max) line+=" $(fmt_or_dash "$(sort -g <<<"$vals" | tail -n 1)" '%.0f') |" ;;
      esac
    done
    echo "$line"
  done
  echo
  echo "Each run:"
  echo
  echo "| run | new primary | first failed probe | detection | fence | promote | completed | writer saw the failure | first successful write | failed attempts | acknowledged writes | acknowledged writes lost | status |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13}' "$f"
}

# shellcheck source=/dev/null
os_name() { (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || echo "unknown OS"; }
version_of() { "$@" 2>&1 | head -n 1 || true; }

write_report() {
  local finished wall t
  finished=$(date -u +%Y-%m-%dT%H:%M:%SZ); wall=$((SECONDS - T0))
  mkdir -p "$(dirname "$RESULTS")"
  {
    echo "# pgwarden benchmark"
    echo
    echo "- Date: $STARTED_AT to $finished (UTC), $wall s"
    echo "- Machine: $(nproc) CPUs ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/{printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr), $(os_name); load average at start: ${LOAD_AT_START:-?}"
    echo "- Versions: $(version_of "$PGBIN/postgres" --version); $(version_of "$PGBIN/pgbench" --version); $(if has "$TARGETS" pgbouncer; then version_of "$(proxy_bin pgbouncer)" --version; else echo "PgBouncer not run"; fi); $(if has "$TARGETS" haproxy; then version_of "$(proxy_bin haproxy)" -v; else echo "HAProxy not run"; fi); $(version_of "$JAVA" -version); ${PGWARDEN_VERSION:-pgwarden not run} ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$( [[ -n $(git -C "$ROOT" status --porcelain 2>/dev/null | head -n 1) ]] && echo ", with uncommitted changes"))"
    echo "- pgwarden JVM: PGWARDEN_JAVA_OPTS='${PGWARDEN_JAVA_OPTS}'${JVM_FLAGS:+; effective: $JVM_FLAGS}"
    echo "- Knobs: SECTIONS='$SECTIONS' TARGETS='$TARGETS' WORKLOADS='$WORKLOADS' CLIENTS='$CLIENTS' DURATION=$DURATION REPEATS=$REPEATS WARMUP=$WARMUP THREADS=$THREADS SCALE=$SCALE LATENCY_SAMPLING=$LATENCY_SAMPLING IDLE_SESSIONS=$IDLE_SESSIONS ACTIVE_SESSIONS=$ACTIVE_SESSIONS MEMORY_DURATION=$MEMORY_DURATION FAILOVER_RUNS=$FAILOVER_RUNS health=$HEALTH_INTERVAL/$HEALTH_TIMEOUT/$FAILURES_BEFORE_DOWN"
    for t in "${SKIPPED_NOTES[@]}"; do echo "- Note: $t"; done
    echo "- Everything (3 PostgreSQL servers, the proxies, pgbench) shares these CPUs: every CPU second a proxy spends is taken from PostgreSQL and pgbench."
    if has "$SECTIONS" throughput; then
      echo
      echo "## Throughput"
      echo
      throughput_tables
      echo
      cat <<EOF
*TPS* is pgbench's \`tps\` (with -C it includes connecting). *TPS ratio vs direct* pairs each run
with the direct run of the same repeat, workload and client count, and takes the median over the
repeats; *ratio per repeat* lists those pairs, to show the noise. *avg* and *p99 latency* come from
pgbench's per-transaction log (\`--log\`, sampling rate $LATENCY_SAMPLING for select-only, 1 otherwise):
the latency of the transaction itself, which with -C does not include connecting (the raw table
also has pgbench's summary \`latency average\`, run time x clients / transactions, which does). *proxy CPU* is utime+stime of the proxy's process
(for pgwarden the JVM, all threads) from /proc/PID/stat before and after the run; per 10,000
transactions, and as a share of one core over the run. *postgres CPU* is the same for the three
PostgreSQL process trees (reaped backends included). *steal %* is hypervisor steal as a share of
all CPUs during the run: a noise gauge. *errors* lists runs that failed (rc 99: pgbench reported
failed transactions or errors; 98: the proxy process was gone).
EOF
      if [[ -s $BASE/proxy-facts.txt ]]; then echo; echo "Proxy processes at the end of the runs:"; echo; cat "$BASE/proxy-facts.txt"; fi
    fi
    if has "$SECTIONS" memory; then
      echo
      echo "## pgwarden memory"
      echo
      memory_table
      echo
      echo "*RSS* from /proc/PID/status; *heap used* and *committed* from \`jstat -gc\` (survivor + eden +"
      echo "old); *after full GC*: right after \`jcmd PID GC.run\`, i.e. the live heap. The active row shows"
      echo "medians of samples taken every second while the sessions run (RSS from /proc, heap from one"
      echo "\`jstat -gc PID 1000\`), maxima in the note; its after-GC figures come from one full GC at 60 %"
      echo "of the sampling. ${METRICS_NOTE:-}."
    fi
    if has "$SECTIONS" failover; then
      echo
      echo "## Failover (kill -9 of the primary, $FAILOVER_RUNS runs)"
      echo
      failover_tables
      echo
      cat <<EOF
Each run starts from the same stopped copy of a fresh cluster (pg1 primary, pg2 and pg3 streaming,
synchronous_commit = on, asynchronous replication) and a fresh pgwarden state file. pgwarden: health
interval $HEALTH_INTERVAL, timeout $HEALTH_TIMEOUT, failures-before-down $FAILURES_BEFORE_DOWN, automatic failover with the
built-in promote and follow. A writer (bench/tools, pgjdbc) inserts one row per transaction through
the rw listener, pausing 10 ms after each acknowledged write and 10 ms after each failed attempt,
reconnecting after every failure. After ${FAILOVER_STEADY} s of writes the primary's postmaster gets
SIGKILL. Event times come from pgwarden's own event log lines (JSON log, epoch ms):
*first failed probe* is the first NODE_HEALTH_CHANGED of pg1, *detection* PRIMARY_LOST, *fence*
NODE_FENCED of pg1, *promote* the PRIMARY_ELECTED of the new primary (routing switches there).
*Writer saw the failure*: its first failed attempt; *first successful write*: the first commit
acknowledged after that. *Acknowledged writes lost*: acknowledged ids missing on the new primary
afterwards (asynchronous replication allows some). p90 is nearest-rank.
EOF
    fi
    echo
    echo "## Setup"
    echo
    echo "- PostgreSQL: pg1 127.0.0.1:${P_PG[0]} (primary), pg2 :${P_PG[1]} and pg3 :${P_PG[2]} (\`pg_basebackup -R -X stream\`), data under \`$BASE\`, run as OS user $SVC_USER, auth trust on loopback, max_connections = $MAX_CONNECTIONS."
    echo "- Throughput cluster: shared_buffers = 512MB, synchronous_commit = off, max_wal_size = 4GB, checkpoint_timeout = 30min, autovacuum = off, jit = off; pgbench -i -s $SCALE. Before every run, directly on pg1: CHECKPOINT, wait until both standbys replayed everything, ${PAUSE} s pause; before TPC-B runs also VACUUM pgbench_branches, pgbench_tellers and TRUNCATE pgbench_history."
    echo "- Order: for each repeat, client count and workload, the targets run forward on odd repeats and backward on even ones."
    echo
    echo "| target | port | what |"
    echo "|---|---:|---|"
    for t in $TARGETS; do echo "| $t | ${TARGET_PORT[$t]} | ${TARGET_DESC[$t]} |"; done
    echo
    echo "## Exact commands"
    echo
    echo '```sh'
    echo "# this run"
    echo "$RUN_COMMAND"
    echo "# servers"
    cat "$BASE/commands" 2>/dev/null || true
    if has "$SECTIONS" throughput; then
      echo "# throughput runs (port per target above)"
      local wl c
      for c in $CLIENTS; do
        for wl in $WORKLOADS; do
          pgbench_args direct "$wl" "$c" | tr '\n' ' ' | sed "s/-p ${P_PG[0]}/-p PORT/; s/ \$//"
          echo
        done
      done
    fi
    echo '```'
    echo
    echo "## Configurations"
    local file
    for file in "$BASE/pgwarden/pgwarden.conf" "$BASE/pgwarden/failover-run1.conf" "$BASE/pgbouncer/pgbouncer.ini" "$BASE/haproxy/haproxy.cfg"; do
      [[ -f $file ]] || continue
      echo; echo "\`$file\`"; echo; echo '```'; cat "$file"; echo '```'
    done
    if [[ -s $BASE/throughput.tsv ]]; then
      echo
      echo "## Raw throughput runs"
      echo
      echo "| workload | clients | target | rep | seq | tps | avg ms | p99 ms | tx | failed | rc | wall s | proxy CPU s | postgres CPU s | pgbench CPU s | steal s | idle s | latency samples | pgbench latency average ms |"
      echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
      awk -F'\t' '{line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line}' "$BASE/throughput.tsv"
    fi
  } >"$RESULTS"
}

print_tables() {
  if has "$SECTIONS" throughput; then echo; echo "== throughput"; echo; throughput_tables; fi
  if has "$SECTIONS" memory; then echo; echo "== pgwarden memory"; echo; memory_table; fi
  if has "$SECTIONS" failover; then echo; echo "== failover"; echo; failover_tables; fi
  echo
}

# ------------------------------------------------------------------------------ cleanup
stop_everything() {
  local name pid st dir
  if [[ -f $BASE/procs ]]; then
    # newest first: clients before the proxies they use
    while read -r name pid st; do
      stop_pid "$pid" "$st"
    done < <(tac "$BASE/procs")
  fi
  if [[ -f $BASE/pgdirs ]]; then
    while read -r dir; do pg_stop "$dir" immediate; done < <(sort -u "$BASE/pgdirs")
  fi
  if [[ -f $BASE/procs ]]; then  # postgres children left behind by a kill -9 of their postmaster
    while read -r name pid st; do [[ $name == orphan ]] && stop_pid "$pid" "$st" KILL; done <"$BASE/procs"
  fi
  return 0
}

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -d $BASE ]]; then
    log "stopping everything this run started"
    stop_everything
    # the clusters are throwaway (GBs of WAL after TPC-B); logs, configs and TSVs stay
    [[ -n $KEEP_DATA ]] || rm -rf "$BASE/tp" "$BASE/fo"
  fi
  exit "$rc"
}

check_ports_free() {
  local p
  for p in "$@"; do
    [[ -z $(ss -Hltn "sport = :$p" 2>/dev/null) ]] || die "127.0.0.1:$p is already in use; choose another PORT_BASE"
  done
}

# --------------------------------------------------------------------------------- main
main() {
  local t wl s
  [[ -x $PGBIN/postgres ]] || die "no PostgreSQL binaries in PGBIN=$PGBIN"
  for s in $SECTIONS; do [[ $s =~ ^(throughput|memory|failover)$ ]] || die "unknown section $s"; done
  for wl in $WORKLOADS; do [[ -n ${WL_ARGS[$wl]:-} ]] || die "unknown workload $wl (known: ${!WL_ARGS[*]})"; done
  for t in $TARGETS; do [[ -n ${TARGET_PORT[$t]:-} ]] || die "unknown target $t (known: ${!TARGET_PORT[*]})"; done
  has "$TARGETS" direct || TARGETS="direct $TARGETS"   # every ratio is against direct
  RUN_COMMAND="$(for v in SECTIONS TARGETS WORKLOADS CLIENTS DURATION REPEATS FAILOVER_RUNS; do printf "%s='%s' " "$v" "${!v}"; done)bench/run.sh"
  LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  (($(ulimit -n) > 2 * IDLE_SESSIONS + 200)) || log "warning: ulimit -n $(ulimit -n) is low for $IDLE_SESSIONS sessions"

  if [[ -d $BASE ]]; then
    log "cleaning up $BASE from an earlier run"
    stop_everything
    rm -rf "$BASE"
  fi
  check_ports_free "${P_PG[@]}" "$P_RW" "$P_RO" "$P_ADMIN" "$P_PGBOUNCER" "$P_HAPROXY"
  svc_dir "$BASE" "$BASE/logs" "$BASE/sock" "$BASE/pgwarden" "$BASE/fo"
  : >"$BASE/procs"; : >"$BASE/pgdirs"; : >"$BASE/commands"
  trap cleanup EXIT
  trap 'exit 130' INT TERM

  if has "$SECTIONS" throughput; then
    install_proxies
  else
    TARGETS=direct
  fi
  if has "$TARGETS" pgwarden || has "$SECTIONS" memory || has "$SECTIONS" failover; then prepare_pgwarden; fi
  if has "$SECTIONS" failover; then prepare_tools; fi
  {
    echo "initdb -D DATADIR -U $DBUSER --auth=trust --no-locale -E UTF8 --no-sync   # pg1; settings appended to postgresql.conf, see Setup"
    echo "pg_basebackup -h 127.0.0.1 -p ${P_PG[0]} -U $DBUSER -D DATADIR -R -X stream -c fast   # pg2, pg3 (port appended)"
    echo "pg_ctl -D DATADIR -l LOGFILE -w start"
    echo "$JAVA ${PGWARDEN_JAVA_OPTS:+$PGWARDEN_JAVA_OPTS }-jar $BASE/pgwarden.jar run --config CONFIG   # what bin/pgwarden run --config CONFIG execs, on a copy of the jar"
  } >>"$BASE/commands"

  local runs est
  runs=$(($(wc -w <<<"$TARGETS") * $(wc -w <<<"$WORKLOADS") * $(wc -w <<<"$CLIENTS") * REPEATS))
  est=0
  has "$SECTIONS" throughput && est=$((runs * (DURATION + PAUSE + 3)))
  has "$SECTIONS" memory && est=$((est + MEMORY_DURATION + 60))
  has "$SECTIONS" failover && est=$((est + FAILOVER_RUNS * 25))
  has "$SECTIONS" throughput || runs=0
  log "sections: $SECTIONS; targets: $TARGETS; $runs throughput runs; about $((est / 60 + 1)) min"

  if has "$SECTIONS" throughput || has "$SECTIONS" memory; then
    log "cluster for throughput and memory: primary + 2 standbys"
    make_cluster "$BASE/tp" throughput
    log "pgbench -i -s $SCALE"
    "$PGBIN/pgbench" -i -q -s "$SCALE" -h 127.0.0.1 -p "${P_PG[0]}" -U "$DBUSER" "$DB" >"$BASE/logs/pgbench-init.log" 2>&1
    echo "$PGBIN/pgbench -i -q -s $SCALE -h 127.0.0.1 -p ${P_PG[0]} -U $DBUSER $DB" >>"$BASE/commands"
    psql_at "${P_PG[0]}" "vacuum analyze" >/dev/null
    wait_streaming 2
    if has "$TARGETS" pgwarden || has "$SECTIONS" memory; then
      write_pgwarden_conf "$BASE/pgwarden/pgwarden.conf" "$BASE/pgwarden/state.json" text
    fi
  fi
  has "$SECTIONS" throughput && section_throughput
  has "$SECTIONS" memory && section_memory
  if has "$SECTIONS" throughput || has "$SECTIONS" memory; then
    log "stopping the throughput cluster and its proxies"
    stop_named pgwarden; stop_named pgbouncer; stop_named haproxy
    pg_stop "$BASE/tp/pg1"; pg_stop "$BASE/tp/pg2"; pg_stop "$BASE/tp/pg3"
    [[ -n $KEEP_DATA ]] || rm -rf "$BASE/tp"
  fi
  has "$SECTIONS" failover && section_failover

  write_report
  print_tables
  log "report written to $RESULTS"
}

main "$@"; exit $?   # on one line: bash never reads past it, so editing the file during a run is harmless
