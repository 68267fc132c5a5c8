#!/usr/bin/env bash
# Starts the machine's PostgreSQL cluster and creates the test role and database (idempotent).
set -euo pipefail
version=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1}')
if [[ -z $version ]]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  pg_createcluster "$version" main
fi
pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
pg_isready -h 127.0.0.1 -p 5432
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
SELECT 'CREATE ROLE gatehouse LOGIN CREATEDB PASSWORD ''gatehouse'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gatehouse') \gexec
SELECT 'CREATE DATABASE gatehouse_test OWNER gatehouse'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'gatehouse_test') \gexec
SQL
echo "postgres $version ready: postgresql://gatehouse:gatehouse@127.0.0.1:5432/gatehouse_test"
