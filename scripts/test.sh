#!/usr/bin/env bash
# The whole test suite on a fresh machine: system packages, venv, lint, a throwaway PostgreSQL
# server, unit + AppTest + real-browser tests. Used by `make test` and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v pdftoppm >/dev/null || need_apt+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
# CJK firm names in the PDF (TrueType, so reportlab can embed a subset; Noto CJK is CFF, which it cannot).
[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || need_apt+=(fonts-droid-fallback)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v cc >/dev/null || need_apt+=(gcc libc6-dev)  # tests/faults: the power-cut shim
command -v haproxy >/dev/null || need_apt+=(haproxy)  # tests/e2e/test_replicas.py (deploy/haproxy.cfg)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing system packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

make --no-print-directory setup
echo "== ruff"
.venv/bin/ruff check .
echo "== mypy"
.venv/bin/mypy  # the core packages and services, configured in pyproject.toml [tool.mypy]
echo "== content check (structural problems fail; entries due for review only warn)"
.venv/bin/python cli.py content check

# Throwaway PostgreSQL cluster for the storage tests (stopped on exit).
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDIR=$(mktemp -d /tmp/dm-pg.XXXXXX)
PGPORT=${PGPORT:-55432}
cleanup() {
  if [ -f "$PGDIR/data/postmaster.pid" ]; then
    if [ "$(id -u)" -eq 0 ]; then su postgres -c "$PGBIN/pg_ctl -D $PGDIR/data -m fast -w stop" >/dev/null || true
    else "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null || true; fi
  fi
  rm -rf "$PGDIR"
}
trap cleanup EXIT
chmod 755 "$PGDIR"
run_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PGDIR"
run_pg "$PGBIN/initdb -D $PGDIR/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
run_pg "$PGBIN/pg_ctl -D $PGDIR/data -l $PGDIR/server.log -w start -o '-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off'" >/dev/null
"$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -q -c 'create database dm_test' >/dev/null
export TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/dm_test"

export STREAMLIT_BROWSER_GATHER_USAGE_STATS=false STREAMLIT_SERVER_FILE_WATCHER_TYPE=none
echo "== pytest"
.venv/bin/python -m pytest "$@"
