# Helpers for the CI step scripts (sourced). Loopback addresses only.
PG_ADMIN_URL="${CI_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432}"

# A TCP port nobody listens on right now (the kernel picks it).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for URL SECONDS [CURL_ARGS...]: until the URL answers 200, or fail.
wait_for() {
  local url=$1 limit=$2; shift 2
  local start=$SECONDS
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url")" = 200 ]; do
    if [ $((SECONDS - start)) -ge "$limit" ]; then echo "not answering after ${limit}s: $url" >&2; return 1; fi
    sleep 2
  done
  echo "answering after $((SECONDS - start))s: $url"
}

# The pages a newcomer looks at first; each must answer 200 (redirects followed).
PAGES=(/ /informatieavonden/ /respijt/ /kennis/ "/zoeken/?q=pleegzorg" /admin/login/ /healthz
       /api/v1/schema/ /api/v1/docs/ /favicon.ico)

# fetch_pages BASE_URL [CURL_ARGS...]: print each page's status and time; fail on any non-200.
fetch_pages() {
  local base=$1; shift
  local failed=0 path code
  for path in "${PAGES[@]}"; do
    code=$(curl -s -L -o /dev/null -w '%{http_code} %{time_total}s' --max-time 60 "$@" "$base$path") || true
    printf '  %-22s %s\n' "$path" "$code"
    [ "${code%% *}" = 200 ] || failed=1
  done
  return $failed
}

# A throwaway database (name must start with thuisnet_deploy_ or thuisnet_ci_).
admin_sql() { PGOPTIONS="-c client_min_messages=warning" psql -q "$PG_ADMIN_URL/postgres" "$@"; }
recreate_db() { admin_sql -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"; }
drop_db() { admin_sql -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" || true; }

ensure_postgres() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
}

# Kill a background process group started with setsid (and wait a little for it).
stop_group() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

# The demo database is built once per CI run (by the wheel step, which rehearses migrate and
# load_demo for real) and then copied for the later steps: CREATE DATABASE ... TEMPLATE takes
# seconds where migrate + load_demo take minutes. Only when .ci/run says so (CI_DEMO_TEMPLATE=1),
# so that a step run by hand never copies a template left from older code.
DEMO_TEMPLATE=thuisnet_deploy_template
template_wanted() { [ "${CI_DEMO_TEMPLATE:-0}" = 1 ]; }
save_template() {  # save_template FROM_DB
  template_wanted || return 0
  drop_db "$DEMO_TEMPLATE"
  admin_sql -c "CREATE DATABASE $DEMO_TEMPLATE TEMPLATE $1" && echo "saved $1 as $DEMO_TEMPLATE"
}
from_template() {  # from_template NEW_DB: succeeds only if the copy was made
  template_wanted || return 1
  [ "$(admin_sql -tA -c "SELECT 1 FROM pg_database WHERE datname = '$DEMO_TEMPLATE'")" = 1 ] || return 1
  drop_db "$1"
  admin_sql -c "CREATE DATABASE $1 TEMPLATE $DEMO_TEMPLATE" && echo "$1: copied from $DEMO_TEMPLATE (demo loaded by the wheel step)"
}
