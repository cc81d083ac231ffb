#!/usr/bin/env bash
# Benchmarks pgdiff on synthetic CRM-style schemas, side by side with pg_dump and, when
# installed, migra and pgmold. See docs/performance.md.
#
# Usage: benches/run.sh [SCALE...]        (tables; default: 100 1000 — 5000 is slow)
#
# Environment:
#   REPS            repetitions of every measurement (default 5; the median is reported)
#   PGDIFF_PG_BIN   PostgreSQL binaries (default: /usr/lib/postgresql/<newest>/bin); also
#                   used by pgdiff's embedded shadow cluster
#   MIGRA, PGMOLD   the peer commands (default: `migra` / `pgmold` on PATH; skipped if absent)
#   BENCH_KEEP=1    keep the temporary directory (generated SQL, outputs, server log)
#
# Every tool reads the same databases of one throwaway cluster (unix socket, fsync off, in
# memory when /dev/shm has room). Each repetition runs every measurement once, in turn, so that noise
# from other load on the machine spreads over all of them. Times are wall clock; peak RSS is
# GNU time's "Maximum resident set size" of the client process (server memory excluded).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
reps=${REPS:-5}
if [[ $# -gt 0 ]]; then scales=("$@"); else scales=(100 1000); fi

die() {
    echo "run.sh: $*" >&2
    exit 1
}

for s in "${scales[@]}"; do
    [[ $s =~ ^[0-9]+$ && $((s % 5)) -eq 0 && $s -gt 0 ]] || die "scale $s: a multiple of 5"
done
[[ $reps =~ ^[1-9][0-9]*$ ]] || die "REPS=$reps: a positive number"
timebin=/usr/bin/time
[[ -x $timebin ]] || die "GNU time is missing (Debian/Ubuntu: apt-get install time)"
command -v python3 >/dev/null || die "python3 is missing"

if [[ -n ${PGDIFF_PG_BIN:-} ]]; then
    pgbin=$PGDIFF_PG_BIN
else
    pgbin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null \
        | sort -V | tail -n 1)
fi
[[ -n $pgbin && -x $pgbin/initdb && -x $pgbin/pg_ctl ]] ||
    die "no PostgreSQL binaries (install the server or set PGDIFF_PG_BIN)"
export PGDIFF_PG_BIN=$pgbin
psql=$pgbin/psql
pg_dump=$pgbin/pg_dump
[[ -x $psql ]] || psql=$(command -v psql)
[[ -x $pg_dump ]] || pg_dump=$(command -v pg_dump)

echo "building pgdiff (release)..." >&2
(cd "$root" && cargo build --release --locked --quiet)
pgdiff=${CARGO_TARGET_DIR:-$root/target}/release/pgdiff
[[ $pgdiff == /* ]] || pgdiff=$root/$pgdiff

migra=${MIGRA:-$(command -v migra || true)}
pgmold=${PGMOLD:-$(command -v pgmold || true)}

# The server refuses to run as root: run it as postgres then.
as_server() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The benchmark cluster lives where pgdiff puts its embedded shadow cluster (PGDIFF_CLUSTER_DIR,
# else /dev/shm with 2 GiB free, else the temporary directory), so that loading the SQL on it
# (`--shadow`) and on the embedded cluster compare like for like.
base=${PGDIFF_CLUSTER_DIR:-}
if [[ -z $base ]]; then
    base=${TMPDIR:-/tmp}
    if [[ -d /dev/shm && -w /dev/shm ]] &&
        (($(df -Pk /dev/shm | awk 'NR == 2 {print $4}') >= 2 * 1024 * 1024)); then
        base=/dev/shm
    fi
fi
work=$(mktemp -d "$base/pgdiff-bench.XXXXXX")
data=$work/data
port=5432
cleanup() {
    if [[ -f $data/postmaster.pid ]]; then
        as_server "$pgbin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [[ ${BENCH_KEEP:-} == 1 ]]; then
        echo "kept $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
if [[ $(id -u) -eq 0 ]]; then
    chown postgres "$work"
fi
chmod 755 "$work"

echo "starting a throwaway cluster in $work..." >&2
as_server "$pgbin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; die "initdb failed"; }
as_server "$pgbin/pg_ctl" -D "$data" -w -t 60 -l "$work/server.log" start -o \
    "-k $work -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off \
     -c full_page_writes=off -c shared_buffers=128MB -c max_locks_per_transaction=1024" \
    >/dev/null || { cat "$work/server.log" >&2; die "pg_ctl start failed"; }

conninfo() { echo "host=$work port=$port user=postgres dbname=$1"; }
# URLs for the peers, the unix socket in the host parameter: SQLAlchemy (migra), sqlx (pgmold).
migra_url() { echo "postgresql+psycopg2://postgres@/$1?host=$work&port=$port"; }
pgmold_url() { echo "db:postgres://postgres@localhost:$port/$1?host=$work"; }
# (pgmold compares SQL files with a database only: `pgmold diff` takes no database source.)
sql() { "$psql" -X -q -v ON_ERROR_STOP=1 -d "$(conninfo "$1")" "${@:2}"; }

now_ns() { date +%s%N; }

# catalog_script DB: a psql script of pgdiff's own catalog queries (src/catalog/queries), as
# the inspector sends them on one connection: one REPEATABLE READ transaction with its
# settings, the schema filter empty, and the columns newer than the server replaced by the
# values they always have there (as `for_version` in src/catalog/mod.rs does). Running it
# with the rows discarded measures the server's own time for one side's catalog reads.
catalog_script() {
    local version f
    version=$(sql "$1" -At -c "SHOW server_version_num")
    local -a edits=(-e "s/\$[12]::text\[\]/'{}'::text[]/g")
    if ((version < 150000)); then
        edits+=(-e 's/i\.indnullsnotdistinct/false/g' -e 's/k\.confdelsetcols/NULL::int2[]/g')
    fi
    if ((version < 180000)); then
        edits+=(-e 's/k\.conperiod/false/g' -e 's/k\.conenforced/true/g')
    fi
    echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
    echo "SELECT set_config('search_path', '', true), set_config('jit', 'off', true),"
    echo "       set_config('work_mem', '64MB', true),"
    echo "       set_config('max_parallel_workers_per_gather', '0', true),"
    echo "       set_config('quote_all_identifiers', 'off', true);"
    for f in "$root"/src/catalog/queries/*.sql; do
        # Read on PostgreSQL 18 and later only, as in src/catalog/rows.rs.
        if [[ $(basename "$f") == not_null_names.sql ]] && ((version < 180000)); then
            continue
        fi
        sed "${edits[@]}" "$f"
        echo ";"
    done
    echo "COMMIT;"
}

# measure RESULTS NAME OK_CODES CMD...: runs CMD once under GNU time; appends
# "NAME seconds rss_kb" to RESULTS. OK_CODES lists the accepted exit codes ("0 2").
measure() {
    local results=$1 name=$2 ok=$3 t0 t1 rc=0 rss
    shift 3
    t0=$(now_ns)
    "$timebin" -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" || rc=$?
    t1=$(now_ns)
    if [[ " $ok " != *" $rc "* ]]; then
        echo "run.sh: $name exited with $rc:" >&2
        tail -n 20 "$work/err.txt" >&2
        return 1
    fi
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    printf '%s %s %s\n' "$name" "$(awk -v n=$((t1 - t0)) 'BEGIN {printf "%.3f", n / 1e9}')" \
        "$rss" >>"$results"
}

# median RESULTS NAME -> seconds; peak RESULTS NAME -> MB
median() {
    awk -v n="$2" '$1 == n {print $2}' "$1" | sort -g |
        awk '{v[NR] = $1} END {if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2];
             else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
peak() {
    awk -v n="$2" '$1 == n && $3 > m {m = $3} END {if (m) printf "%.0f", m / 1024}' "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a != "" && b > 0) printf "%.2f", a / b}'; }

describe_machine() {
    local mem
    mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
    echo "- CPU: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo))"
    echo "- RAM: $mem; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- $("$pgbin/postgres" --version); pgdiff $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')"
    echo "- repetitions: $reps (median wall time; peak RSS is the largest of the runs)"
}

bench_scale() {
    local n=$1 base=b$1 changed=c$1 results=$work/results-$1.txt
    local dir_base=$work/sql-$1-base dir_changed=$work/sql-$1-changed
    local t0 load_s
    : >"$results"
    python3 "$here/gen_schema.py" --tables "$n" --out "$dir_base"
    python3 "$here/gen_schema.py" --tables "$n" --out "$dir_changed" --changed
    sql postgres -c "DROP DATABASE IF EXISTS $base" -c "DROP DATABASE IF EXISTS $changed" \
        -c "CREATE DATABASE $base TEMPLATE template0" \
        -c "CREATE DATABASE $changed TEMPLATE template0"
    t0=$(now_ns)
    cat "$dir_base"/*.sql | sql "$base" -f -
    load_s=$(awk -v n=$(($(now_ns) - t0)) 'BEGIN {printf "%.2f", n / 1e9}')
    cat "$dir_changed"/*.sql | sql "$changed" -f -
    # A database in service has had its catalogs vacuumed and analyzed by autovacuum; right
    # after the build they have neither (every first read sets hint bits, the planner guesses
    # the catalogs' sizes), and autovacuum would otherwise do it during the measurements.
    sql "$base" -c "VACUUM ANALYZE" >/dev/null
    sql "$changed" -c "VACUUM ANALYZE" >/dev/null

    catalog_script "$base" >"$work/catalog-$n.sql"
    grep -q '\$[0-9]' "$work/catalog-$n.sql" && die "catalog queries: a parameter left unbound"

    local -a names=(pg_dump inspect plan_db catalog check inspect_desired
        inspect_desired_server plan_sql)
    local -a cmd_pg_dump=("$pg_dump" --schema-only -d "$(conninfo "$base")")
    local -a cmd_inspect=("$pgdiff" inspect --database "$(conninfo "$base")" --format json)
    local -a cmd_plan_db=("$pgdiff" plan --database "$(conninfo "$base")"
        --desired "$(conninfo "$changed")" --no-verify --format sql)
    local -a cmd_catalog=("$psql" -X -q -v ON_ERROR_STOP=1 -o /dev/null
        -d "$(conninfo "$base")" -f "$work/catalog-$n.sql")
    local -a cmd_check=("$pgdiff" check --desired "$dir_changed")
    local -a cmd_inspect_desired=("$pgdiff" inspect --desired "$dir_changed" --format json)
    local -a cmd_inspect_desired_server=("$pgdiff" inspect --desired "$dir_changed"
        --shadow "$(conninfo postgres)" --format json)
    local -a cmd_plan_sql=("$pgdiff" plan --database "$(conninfo "$base")"
        --desired "$dir_changed" --no-verify --format sql)
    local -a cmd_migra=("$migra" --unsafe "$(migra_url "$base")" "$(migra_url "$changed")")
    local -a cmd_pgmold_sql=("$pgmold" plan --schema "sql:$dir_changed"
        --database "$(pgmold_url "$base")" --target-schemas crm)

    # run_one RESULTS NAME: one measurement of NAME (peers accept their "changes found" codes).
    run_one() {
        case $2 in
            pg_dump) measure "$1" "$2" 0 "${cmd_pg_dump[@]}" ;;
            inspect) measure "$1" "$2" 0 "${cmd_inspect[@]}" ;;
            plan_db) measure "$1" "$2" 0 "${cmd_plan_db[@]}" ;;
            catalog) measure "$1" "$2" 0 "${cmd_catalog[@]}" ;;
            check) measure "$1" "$2" 0 "${cmd_check[@]}" ;;
            inspect_desired) measure "$1" "$2" 0 "${cmd_inspect_desired[@]}" ;;
            inspect_desired_server) measure "$1" "$2" 0 "${cmd_inspect_desired_server[@]}" ;;
            plan_sql) measure "$1" "$2" 0 "${cmd_plan_sql[@]}" ;;
            migra) measure "$1" "$2" "0 2" "${cmd_migra[@]}" ;;
            pgmold_sql) measure "$1" "$2" 0 "${cmd_pgmold_sql[@]}" ;;
            *) die "unknown measurement $2" ;;
        esac
    }

    # One untimed run of everything (warm caches); a peer that fails is left out.
    local name
    for name in "${names[@]}"; do
        run_one "$work/warmup.txt" "$name" || die "$name failed"
    done
    if [[ -n $migra ]]; then
        if run_one "$work/warmup.txt" migra; then names+=(migra); else
            echo "run.sh: migra failed; left out" >&2
        fi
    fi
    if [[ -n $pgmold ]]; then
        if run_one "$work/warmup.txt" pgmold_sql; then names+=(pgmold_sql); else
            echo "run.sh: pgmold failed; left out" >&2
        fi
    fi

    local rep
    for ((rep = 1; rep <= reps; rep++)); do
        echo "  $n tables: repetition $rep/$reps" >&2
        for name in "${names[@]}"; do
            run_one "$results" "$name"
        done
    done

    local dump plan_db plan_sql insp ins_d ins_s
    dump=$(median "$results" pg_dump)
    plan_db=$(median "$results" plan_db)
    plan_sql=$(median "$results" plan_sql)
    insp=$(median "$results" inspect)
    ins_d=$(median "$results" inspect_desired)
    ins_s=$(median "$results" inspect_desired_server)
    local modules=$((n / 5))
    local diffs=$((modules < 20 ? 1 : modules / 20))
    echo
    echo "### $n tables"
    echo
    echo "$((n + 1)) tables ($modules modules, $diffs changed), $((modules * 2)) views and" \
        "materialized views, $(sql "$base" -At -c "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'crm'") indexes;" \
        "psql builds one database in ${load_s} s."
    echo
    echo "| measurement | median s | peak RSS MB | ÷ pg_dump |"
    echo "|---|---:|---:|---:|"
    row() { echo "| $1 | $(median "$results" "$2") | $(peak "$results" "$2") | $(ratio "$(median "$results" "$2")" "$dump") |"; }
    row "pg_dump --schema-only (one side)" pg_dump
    row "pgdiff inspect --database" inspect
    row "pgdiff plan, database → database" plan_db
    row "pgdiff's catalog queries alone (psql, one connection, rows discarded)" catalog
    row "pgdiff check (parse and order the desired SQL, no database)" check
    row "pgdiff inspect --desired SQL (embedded shadow: start, load, read)" inspect_desired
    row "pgdiff inspect --desired SQL --shadow (existing server: load, read)" inspect_desired_server
    row "pgdiff plan, desired SQL → database (embedded shadow)" plan_sql
    local peers=""
    if [[ " ${names[*]} " == *" migra "* ]]; then
        row "migra, database → database" migra
        peers+="migra ÷ pgdiff plan database → database: $(ratio "$(median "$results" migra)" "$plan_db"). "
    fi
    if [[ " ${names[*]} " == *" pgmold_sql "* ]]; then
        row "pgmold plan, SQL → database (parses the SQL itself, no shadow)" pgmold_sql
        peers+="pgmold plan ÷ pgdiff plan desired SQL → database: $(ratio "$(median "$results" pgmold_sql)" "$plan_sql"). "
    fi
    echo
    echo "Shadow database, apart: $(awk -v a="$ins_d" -v b="$insp" 'BEGIN {printf "%.2f", a - b}') s" \
        "(inspect --desired minus inspect --database), of which starting the embedded cluster" \
        "about $(awk -v a="$ins_d" -v b="$ins_s" 'BEGIN {printf "%.2f", a - b}') s (embedded minus" \
        "--shadow; pgdiff parses the SQL meanwhile) and loading the SQL" \
        "$(awk -v a="$ins_s" -v b="$insp" 'BEGIN {printf "%.2f", a - b}') s." \
        "Plan database → database ÷ inspect --database: $(ratio "$plan_db" "$insp") (plan reads" \
        "both sides at once, one connection each; inspect reads one side on two). $peers"
    # The server's time for both sides' catalog reads, spread over every core, bounds the
    # database -> database plan from below when both sides share this machine.
    local catalog_s cores floor
    catalog_s=$(median "$results" catalog)
    cores=$(nproc)
    floor=$(awk -v a="$catalog_s" -v c="$cores" 'BEGIN {printf "%.3f", 2 * a / c}')
    echo
    echo "Server floor: pgdiff's catalog queries take $catalog_s s of the server's time for one" \
        "side (psql, rows discarded); both sides on $cores cores bound a database → database" \
        "plan here from below at about $floor s (plan ÷ floor: $(ratio "$plan_db" "$floor"))."
    if [[ " ${names[*]} " == *" migra "* ]]; then
        echo "15× faster than migra would be $(awk -v m="$(median "$results" migra)" 'BEGIN {printf "%.2f", m / 15}') s."
    fi
}

echo "## Run of $(date -u +%Y-%m-%d)"
echo
describe_machine
[[ -n $migra ]] || echo "- migra: not installed, skipped"
[[ -n $pgmold ]] || echo "- pgmold: not installed, skipped"
for n in "${scales[@]}"; do
    echo "benchmarking $n tables..." >&2
    bench_scale "$n"
done
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
