#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback, for the tests and benchmarks that run Cordon on the
# server backend. Debian's postgresql package provides the binaries (scripts/setup.sh).
#   scripts/pg-test-server.sh start DIR [PORT]   creates a cluster in DIR if needed, starts it,
#                                                and prints its URL (database "postgres")
#   scripts/pg-test-server.sh stop DIR
set -euo pipefail
cmd=${1:?start or stop} dir=${2:?data directory}
port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_postgres=()
if [[ $(id -u) -eq 0 ]]; then
  as_postgres=(runuser -u postgres --)  # initdb and the server refuse to run as root
fi
case $cmd in
  start)
    mkdir -p "$dir"
    if ((${#as_postgres[@]})); then chown postgres "$dir"; fi
    if [[ ! -f $dir/PG_VERSION ]]; then
      # Data checksums: the durability check (security.md H5) warns on a cluster without them.
      "${as_postgres[@]}" "$bin/initdb" -D "$dir" -U cordon --auth=trust -E UTF8 --locale=C.UTF-8 \
        --data-checksums >/dev/null
    fi
    "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null
    echo "postgresql://cordon@127.0.0.1:$port/postgres"
    ;;
  stop)
    "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    ;;
  *)
    echo "usage: $0 start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
