#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests and print its SQLAlchemy URL.
# Needs root (to install Debian's postgresql and run it as the postgres user).
# Usage: eval "$(scripts/postgres.sh start)"  ...  scripts/postgres.sh stop
set -euo pipefail
DATA="${PMLOOP_PG_DATA:-/tmp/pmloop-test-pg}"
PORT="${PMLOOP_PG_PORT:-55433}"
BIN=""
find_bin() { BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"; }

case "${1:-start}" in
  start)
    find_bin
    if [ -z "$BIN" ]; then
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      find_bin
      [ -n "$BIN" ] || { echo "postgres.sh: error: postgresql did not install" >&2; exit 1; }
    fi
    if ! su postgres -c "$BIN/pg_ctl -D $DATA status" >/dev/null 2>&1; then
      rm -rf "$DATA" && mkdir -p "$DATA" && chown postgres "$DATA"
      su postgres -c "$BIN/initdb -D $DATA -A trust -U postgres" >/dev/null
      su postgres -c "$BIN/pg_ctl -D $DATA -w -l $DATA/server.log \
        -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' start" >/dev/null
    fi
    echo "export PMLOOP_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    find_bin
    [ -n "$BIN" ] && su postgres -c "$BIN/pg_ctl -D $DATA -m fast stop" >/dev/null 2>&1 || true
    ;;
esac
