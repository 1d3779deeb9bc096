#!/bin/sh
# pgwarden rejoin action: turns a fenced old primary into a standby of the new primary with
# pg_rewind, so that auto-rejoin can let it back in.
#
#   pgwarden.failover.rejoin.command = "/etc/pgwarden/scripts/rejoin.sh"
#   pgwarden.failover.auto-rejoin = true
#
# pgwarden runs it (with auto-rejoin on) after fencing an old primary, and again when that node
# comes back writable. Once the node streams from the new primary on its timeline, pgwarden
# unfences it by itself. Transactions the old primary committed but never sent to a standby are
# discarded by the rewind: they were never acknowledged by the cluster that survived.
#
# On the old primary's host, over ssh: stop the server if it runs; if it crashed, finish crash
# recovery in single-user mode (pg_rewind wants a cleanly shut down target); rewind it from the
# new primary; let pg_rewind --write-recovery-conf write standby.signal and primary_conninfo;
# start it as a standby.
#
# Site settings: PGWARDEN_SSH_USER, PGWARDEN_PGDATA, PGWARDEN_PG_BINDIR (see promote.sh), and
#   PGWARDEN_REWIND_USER   user pg_rewind connects to the new primary as (default: postgres;
#                          its password in ~/.pgpass of the ssh user on the database hosts)
# Paths must not contain spaces or quotes.
set -eu

: "${PGWARDEN_NODE_NAME:?must be run by pgwarden}"
: "${PGWARDEN_NODE_HOST:?must be run by pgwarden}"
: "${PGWARDEN_NEW_PRIMARY_HOST:?rejoin needs the new primary}"
: "${PGWARDEN_NEW_PRIMARY_PORT:?rejoin needs the new primary}"
ssh_user=${PGWARDEN_SSH_USER:-postgres}
pgdata=${PGWARDEN_PGDATA:-/var/lib/postgresql/15/main}
bindir=${PGWARDEN_PG_BINDIR:-/usr/lib/postgresql/15/bin}
rewind_user=${PGWARDEN_REWIND_USER:-postgres}
source_server="host=${PGWARDEN_NEW_PRIMARY_HOST} port=${PGWARDEN_NEW_PRIMARY_PORT} user=${rewind_user} dbname=postgres application_name=${PGWARDEN_NODE_NAME}"

echo "rejoining ${PGWARDEN_NODE_NAME} as a standby of ${PGWARDEN_NEW_PRIMARY_NAME:-?}"

# The remote script is quoted ('REMOTE'): nothing in it expands here. Its arguments arrive as
# $1..$4 on the remote side; `sh -s --` reads the script from stdin (which also keeps the JSON
# pgwarden wrote on our stdin away from ssh).
ssh -o BatchMode=yes -o ConnectTimeout=5 "${ssh_user}@${PGWARDEN_NODE_HOST}" \
    sh -s -- "'${pgdata}'" "'${bindir}'" "'${source_server}'" "'${PGWARDEN_NODE_NAME}'" <<'REMOTE'
set -eu
pgdata=$1
bindir=$2
source_server=$3
node=$4

if "$bindir/pg_ctl" status -D "$pgdata" >/dev/null 2>&1; then
    "$bindir/pg_ctl" stop -D "$pgdata" -m fast -w -t 60
fi

state=$("$bindir/pg_controldata" -D "$pgdata" | sed -n 's/^Database cluster state: *//p')
case "$state" in
    "shut down"|"shut down in recovery") ;;
    *)
        echo "$node was not shut down cleanly ($state): finishing crash recovery first"
        "$bindir/postgres" --single -D "$pgdata" postgres </dev/null >/dev/null
        ;;
esac

"$bindir/pg_rewind" --target-pgdata="$pgdata" --source-server="$source_server" --write-recovery-conf
"$bindir/pg_ctl" start -D "$pgdata" -l "$pgdata/rejoin-start.log" -w -t 60
echo "$node started as a standby"
REMOTE
