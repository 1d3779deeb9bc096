#!/bin/sh
# pgwarden follow action: points a standby at the new primary by rewriting its
# primary_conninfo and reloading (PostgreSQL 13 or later restarts the WAL receiver on reload).
#
#   pgwarden.failover.follow.command = "/etc/pgwarden/scripts/follow.sh"
#
# It connects to the standby with psql from the pgwarden host, as a superuser whose password
# is in ~/.pgpass (or PGPASSWORD) of the user running pgwarden. The standby itself needs the
# replication user's password in its own ~/.pgpass: it is not written into primary_conninfo.
# With recovery_target_timeline = 'latest' (the default) the standby follows the new timeline,
# unless it had replayed past the promotion point: then it needs the rejoin action.
#
# Site settings:
#   PGWARDEN_ADMIN_USER        superuser used to run ALTER SYSTEM (default: postgres)
#   PGWARDEN_REPLICATION_USER  user the standby streams as (default: replicator)
#   PGWARDEN_PSQL              psql on the pgwarden host (default: psql from PATH)
set -eu

: "${PGWARDEN_NODE_NAME:?must be run by pgwarden}"
: "${PGWARDEN_NODE_HOST:?must be run by pgwarden}"
: "${PGWARDEN_NODE_PORT:?must be run by pgwarden}"
: "${PGWARDEN_NEW_PRIMARY_HOST:?follow needs the new primary}"
: "${PGWARDEN_NEW_PRIMARY_PORT:?follow needs the new primary}"
admin_user=${PGWARDEN_ADMIN_USER:-postgres}
replication_user=${PGWARDEN_REPLICATION_USER:-replicator}
psql=${PGWARDEN_PSQL:-psql}

# application_name = node name, so pg_stat_replication and synchronous_standby_names on the
# new primary know the standby by the name pgwarden uses.
conninfo="host=${PGWARDEN_NEW_PRIMARY_HOST} port=${PGWARDEN_NEW_PRIMARY_PORT} user=${replication_user} application_name=${PGWARDEN_NODE_NAME}"

echo "pointing ${PGWARDEN_NODE_NAME} at ${PGWARDEN_NEW_PRIMARY_NAME:-?} (${PGWARDEN_NEW_PRIMARY_HOST}:${PGWARDEN_NEW_PRIMARY_PORT})"

# The SQL comes from a here-document, so psql quotes the value itself (:'conninfo') and the
# JSON pgwarden writes on our stdin is left alone.
"${psql}" -X -q -v ON_ERROR_STOP=1 -v conninfo="${conninfo}" \
    "host=${PGWARDEN_NODE_HOST} port=${PGWARDEN_NODE_PORT} user=${admin_user} dbname=postgres connect_timeout=5 application_name=pgwarden-follow" <<'SQL'
ALTER SYSTEM SET primary_conninfo = :'conninfo';
SELECT pg_reload_conf();
SQL
