# Shared by scripts/test and bench/run (source it): a throwaway PostgreSQL cluster on a
# loopback port. Installs PostgreSQL from Debian's packages when it is missing (needs root
# or sudo).

pg_bin() {
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    return 1
}

. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

# start_throwaway_pg PORT: starts a cluster (trust auth, fsync off) that the EXIT trap
# removes (a caller that sets its own EXIT trap calls stop_throwaway_pg in it), and sets PG_URL to its `postgres` database and PG_RUN to the command prefix that
# runs the cluster's tools as its owner (e.g. "${PG_RUN[@]}" "$PG_BIN/psql" ...).
start_throwaway_pg() {
    local port=$1
    if ! PG_BIN=$(pg_bin); then
        echo "installing PostgreSQL..."
        apt_install postgresql
        PG_BIN=$(pg_bin)
    fi
    PG_DIR=$(mktemp -d /tmp/twin-pg.XXXXXX)
    # initdb refuses to run as root: the cluster belongs to the postgres user.
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$PG_DIR"
        PG_RUN=(runuser -u postgres --)
    else
        PG_RUN=()
    fi
    "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" --auth=trust --username=postgres \
        --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
        -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off" start >/dev/null
    trap stop_throwaway_pg EXIT
    PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

stop_throwaway_pg() {
    [ -n "${PG_DIR:-}" ] || return 0
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=
}
