#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb into a temporary directory as a non-root user,
# listening on 127.0.0.1 on a free port, password authentication (scram) for the test role.
#
#   Tests/postgres/cluster.sh start DIR   starts it; prints the URL (postgres://…) on stdout, also in DIR/url
#   Tests/postgres/cluster.sh stop DIR    stops it and removes DIR
#
# The URL carries the test role's password: it is a throwaway secret of a throwaway cluster.
set -euo pipefail
command=${1:?usage: cluster.sh start|stop DIR}
dir=${2:?usage: cluster.sh start|stop DIR}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "cluster.sh: no PostgreSQL server found (install postgresql)" >&2; exit 1; }
owner=${PG_CLUSTER_USER:-nobody}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid="$owner" --regid="$(id -g "$owner")" --clear-groups -- "$@"
    else
        "$@"
    fi
}

case "$command" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown "$owner" "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
    printf '%s\n' "$password" >"$dir/pwfile"
    [ "$(id -u)" -eq 0 ] && chown "$owner" "$dir/pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U gaudit --pwfile="$dir/pwfile" --auth=scram-sha-256 \
        --locale=C.UTF-8 --encoding=UTF8 >"$dir/initdb.log" 2>&1
    rm -f "$dir/pwfile"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
    url="postgres://gaudit:$password@127.0.0.1:$port/postgres"
    printf '%s\n' "$url" >"$dir/url"
    printf '%s\n' "$url"
    ;;
stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
