#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster on 127.0.0.1, exporting JIXIAO_TEST_PG_URL for it.
# The cluster lives in a temporary directory and is removed when the command ends.
set -euo pipefail
PGBIN=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin
PGDIR=$(mktemp -d /tmp/jixiao-pg.XXXXXX)
# A free port: the given one, else the first free from 55432 up (several runs may share the machine).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=${JIXIAO_PG_PORT:-}
if [ -z "$PORT" ]; then
  for p in $(seq 55432 55499); do if port_free "$p"; then PORT=$p; break; fi; done
fi
as_postgres() { if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$PGDIR"; runuser -u postgres -- "$@"; else "$@"; fi; }
PGUSER_NAME=$([ "$(id -u)" -eq 0 ] && echo postgres || id -un)
as_postgres "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U "$PGUSER_NAME" -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null
cleanup() { as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap cleanup EXIT
export JIXIAO_TEST_PG_URL="postgres://$PGUSER_NAME@127.0.0.1:$PORT/postgres"
"$@"
