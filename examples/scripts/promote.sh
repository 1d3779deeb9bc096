#!/bin/sh
# pgwarden promote action: promotes the chosen standby with `pg_ctl promote`, over ssh.
#
#   pgwarden.failover.promote.command = "/etc/pgwarden/scripts/promote.sh"
#
# pgwarden runs it with the event in PGWARDEN_* environment variables (and as JSON on
# stdin, unused here). Exit 0 means "promotion requested"; pgwarden then checks on its own
# that the node became writable within failover.promote-timeout, and tries the next
# candidate otherwise. The script is killed at failover.promote.timeout.
#
# Site settings (environment of pgwarden, or edit the defaults):
#   PGWARDEN_SSH_USER    ssh login on the database hosts (default: postgres)
#   PGWARDEN_PGDATA      data directory on the database hosts
#   PGWARDEN_PG_BINDIR   PostgreSQL binaries on the database hosts
set -eu

: "${PGWARDEN_NODE_NAME:?must be run by pgwarden}"
: "${PGWARDEN_NODE_HOST:?must be run by pgwarden}"
ssh_user=${PGWARDEN_SSH_USER:-postgres}
pgdata=${PGWARDEN_PGDATA:-/var/lib/postgresql/15/main}
bindir=${PGWARDEN_PG_BINDIR:-/usr/lib/postgresql/15/bin}

echo "promoting ${PGWARDEN_NODE_NAME} (${PGWARDEN_NODE_HOST}:${PGWARDEN_NODE_PORT:-?})" \
    "for epoch ${PGWARDEN_EPOCH:-?}, replacing ${PGWARDEN_OLD_PRIMARY_NAME:-no primary}"

# BatchMode: never wait for a password prompt that nobody will answer.
# -w -t 30: pg_ctl waits for the promotion to finish, but not past pgwarden's own timeout.
# The remote command is meant to be expanded here, on the pgwarden host.
# shellcheck disable=SC2029
exec ssh -o BatchMode=yes -o ConnectTimeout=5 "${ssh_user}@${PGWARDEN_NODE_HOST}" \
    "'${bindir}/pg_ctl' promote -D '${pgdata}' -w -t 30"
