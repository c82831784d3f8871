#!/usr/bin/env bash
# A PostgreSQL server for the classroom gradebook tests (tests/test_classroom_postgres.py), as a class would run one:
# Debian's `postgresql` package, its cluster started without systemd (pg_ctlcluster, as Debian's own tools do),
# listening on 127.0.0.1 only, with a login role `nbgrader` (may create databases, is no superuser) and a database
# `nbgrader_test` it owns. The test makes a fresh database of its own next to it for each run, and drops it.
#
# Idempotent: whatever is already there (the package, the cluster, a running server, the role, the database) is kept.
# Needs root (apt-get, runuser). Prints exactly one line on stdout, the URL nbgrader takes as
# c.CourseDirectory.db_url; everything else goes to stderr. It exports nothing; use it as
#     NNLIB_GRADEBOOK_URL=$(.ci/postgres.sh) && export NNLIB_GRADEBOOK_URL
# The password is not a secret: the server answers on 127.0.0.1 only, and the test knows this URL by default.
set -euo pipefail

role=nbgrader
password=nbgrader
database=nbgrader_test

if [ "$(id -u)" != 0 ]; then
  echo ".ci/postgres.sh: run it as root (it installs Debian's postgresql and runs psql as the postgres user)" >&2
  exit 1
fi
cd /  # psql, run as postgres, warns about a working directory it cannot read

{
  if ! command -v pg_ctlcluster >/dev/null || ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi

  # The package creates the cluster "main" of its version (Debian's createcluster.conf); make it if it is missing.
  cluster=$(pg_lsclusters --no-header | awk '$2 == "main" { print $1, $3, $4; exit }')
  if [ -z "$cluster" ]; then
    newest=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    pg_createcluster "$newest" main >/dev/null
    cluster=$(pg_lsclusters --no-header | awk '$2 == "main" { print $1, $3, $4; exit }')
  fi
  read -r version port status <<< "$cluster"

  # A server already running is left as it is; one that is down starts on the loopback address only.
  case "$status" in
    online*) ;;
    *) pg_ctlcluster -o "-c listen_addresses=127.0.0.1" "$version" main start ;;
  esac
  for _ in $(seq 60); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
  done
  pg_isready -q -h 127.0.0.1 -p "$port" || {
    echo ".ci/postgres.sh: PostgreSQL $version (cluster main, port $port) does not answer on 127.0.0.1 after 30 s;" \
         "its log: /var/log/postgresql/postgresql-$version-main.log" >&2
    exit 1
  }

  runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres <<SQL
SELECT 'CREATE ROLE $role' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role')\gexec
ALTER ROLE $role LOGIN CREATEDB NOSUPERUSER PASSWORD '$password';
SELECT 'CREATE DATABASE $database OWNER $role' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$database')\gexec
SQL

  # The proof that the URL works: the role logs in over TCP with its password, as nbgrader will.
  PGPASSWORD=$password psql -X -q -h 127.0.0.1 -p "$port" -U "$role" -d "$database" -c "SELECT 1" >/dev/null
} >&2

echo "postgresql+psycopg://$role:$password@127.0.0.1:$port/$database"
