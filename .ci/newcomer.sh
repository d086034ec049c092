#!/usr/bin/env bash
# CI step: a newcomer's first command. Clone the repository afresh into a temporary folder,
# `make run PORT=<free port>` there (it builds its own .venv from the lock file, migrates,
# loads the demo, starts web + worker), fetch the first pages, stop it.
# NEWCOMER_COPY=rsync copies the working tree instead of cloning (to try uncommitted work).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/.ci/lib.sh"
tmp=$(mktemp -d /tmp/thuisnet-newcomer.XXXXXX)
pid=""
cleanup() { stop_group "$pid"; rm -rf "$tmp"; }
trap cleanup EXIT

if [ "${NEWCOMER_COPY:-clone}" = rsync ]; then
  rsync -a --exclude .venv --exclude var --exclude node_modules --exclude staticfiles \
    --exclude .tools --exclude dist --exclude build "$ROOT/" "$tmp/thuisnet/"
else
  git clone --quiet "$ROOT" "$tmp/thuisnet"
fi
cd "$tmp/thuisnet"
test ! -e var && test ! -e .venv  # really fresh
port=$(free_port)
echo "make run PORT=$port in $tmp/thuisnet"
setsid make run PORT="$port" >"$tmp/run.log" 2>&1 &
pid=$!
if ! wait_for "http://127.0.0.1:$port/healthz" 900; then tail -40 "$tmp/run.log"; exit 1; fi
fetch_pages "http://127.0.0.1:$port" || { tail -40 "$tmp/run.log"; exit 1; }
echo "newcomer: make run served every page from a fresh clone"
