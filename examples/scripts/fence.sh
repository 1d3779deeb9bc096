#!/bin/sh
# pgwarden fence action: the hard fence. Stops the PostgreSQL server of the fenced node so it
# can take no writes at all, whoever connects to it.
#
#   pgwarden.failover.fence.command = "/etc/pgwarden/scripts/fence.sh"
#
# pgwarden has already stopped routing to the node and ended the sessions it held there, and,
# when the node was reachable, applied its built-in soft fence (default_transaction_read_only).
# This script is for clients that bypass pgwarden. It runs when the primary is lost (the host
# may well be down: then ssh fails, the failure is recorded, and the failover goes on), and
# again whenever the node comes back writable without being elected (a rogue primary).
#
# Where ssh cannot reach a dead host, a real STONITH belongs here instead: power off through
# IPMI, or stop the instance through the cloud provider's API.
#
# Site settings: PGWARDEN_SSH_USER, PGWARDEN_PGDATA, PGWARDEN_PG_BINDIR (see promote.sh).
set -eu

: "${PGWARDEN_NODE_NAME:?must be run by pgwarden}"
: "${PGWARDEN_NODE_HOST:?must be run by pgwarden}"
ssh_user=${PGWARDEN_SSH_USER:-postgres}
pgdata=${PGWARDEN_PGDATA:-/var/lib/postgresql/15/main}
bindir=${PGWARDEN_PG_BINDIR:-/usr/lib/postgresql/15/bin}

# A planned switchover wants a clean shutdown: it sends the last WAL to the standbys, so the old
# primary can rejoin without a rewind. After a failure, stop at once.
case "${PGWARDEN_EVENT:-}" in
    switchover) mode=fast ;;
    *) mode=immediate ;;
esac

echo "fencing ${PGWARDEN_NODE_NAME} (${PGWARDEN_NODE_HOST}): pg_ctl stop -m ${mode}" \
    "(event ${PGWARDEN_EVENT:-?}, reason ${PGWARDEN_REASON:-?})"

# The remote command is meant to be expanded here, on the pgwarden host.
# shellcheck disable=SC2029
exec ssh -o BatchMode=yes -o ConnectTimeout=5 "${ssh_user}@${PGWARDEN_NODE_HOST}" \
    "'${bindir}/pg_ctl' stop -D '${pgdata}' -m ${mode} -w -t 30"
