#!/usr/bin/env bash
# CI step: a production rehearsal without Docker. Debian's nginx terminates TLS (a
# throwaway self-signed certificate) in front of gunicorn with the production settings,
# PostgreSQL, the Redis cache and the worker; .ci/tls_rehearsal.py then speaks HTTPS from
# two client addresses (127.0.0.2 and 127.0.0.3). nginx appends the address it saw to
# X-Forwarded-For, and Django trusts one proxy (TRUSTED_PROXY_COUNT=1).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/.ci/lib.sh"
DB=thuisnet_deploy_tls
PY="$ROOT/.venv/bin/python"
tmp=$(mktemp -d /tmp/thuisnet-tls.XXXXXX)
web="" worker="" proxy="" redis=""
cleanup() {
  stop_group "$proxy"; stop_group "$web"; stop_group "$worker"; stop_group "$redis"
  drop_db "$DB"; rm -rf "$tmp"
}
trap cleanup EXIT
ensure_postgres
if ! command -v nginx >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  command -v redis-server >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
  setsid redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no >"$tmp/redis.log" 2>&1 &
  redis=$!
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
REDIS_DB=11  # a database of its own, emptied first: throttling counters start at zero
redis-cli -h 127.0.0.1 -p 6379 -n $REDIS_DB flushdb >/dev/null

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null

export DJANGO_SETTINGS_MODULE=thuisnet.settings.production \
  SECRET_KEY="ci-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')" \
  ALLOWED_HOSTS=127.0.0.1 TRUSTED_PROXY_COUNT=1 \
  DATABASE_URL="$PG_ADMIN_URL/$DB" REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB" \
  THUISNET_VAR_DIR="$tmp/var" STATIC_ROOT="$tmp/static" \
  EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
T=$SECONDS
"$PY" "$ROOT/manage.py" collectstatic --noinput -v 0
if ! from_template "$DB"; then
  recreate_db "$DB"
  "$PY" "$ROOT/manage.py" migrate --noinput -v 0
  "$PY" "$ROOT/manage.py" createcachetable
  "$PY" "$ROOT/manage.py" load_demo >"$tmp/load_demo.log" 2>&1 || { tail -30 "$tmp/load_demo.log"; exit 1; }
fi
echo "collectstatic + database with the demo: $((SECONDS - T))s"
token=$("$PY" "$ROOT/manage.py" shell -v 0 -c "
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
user = get_user_model().objects.get(email='medewerker@pleegzorg-ijsselland.example')
print(Token.objects.get_or_create(user=user)[0].key)" | tail -1)

setsid "$PY" "$ROOT/manage.py" worker >"$tmp/worker.log" 2>&1 &
worker=$!
gport=$(free_port)
setsid "$ROOT/.venv/bin/gunicorn" thuisnet.wsgi:application --bind "127.0.0.1:$gport" --workers 2 \
  --forwarded-allow-ips 127.0.0.1 >"$tmp/gunicorn.log" 2>&1 &
web=$!
nport=$(free_port)
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx.conf" <<NGINX
daemon off;
user root;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log $tmp/nginx-access.log;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server {
    listen 127.0.0.1:$nport ssl;
    server_name _;
    ssl_certificate $tmp/cert.pem;
    ssl_certificate_key $tmp/key.pem;
    location / {
      proxy_pass http://127.0.0.1:$gport;
      proxy_set_header Host \$http_host;
      # What most deployments write: the client's own header, then the address nginx saw.
      # Django believes only the last entry (one trusted proxy).
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto https;
    }
  }
}
NGINX
nginx -t -q -c "$tmp/nginx.conf"
setsid nginx -c "$tmp/nginx.conf" >"$tmp/nginx.out" 2>&1 &
proxy=$!
base="https://127.0.0.1:$nport"
wait_for "$base/healthz" 60 --cacert "$tmp/cert.pem" || { tail -30 "$tmp/gunicorn.log" "$tmp/nginx-error.log"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gport/healthz")
echo "plain HTTP /healthz straight to gunicorn: $status"
[ "$status" = 200 ] || exit 1

python3 "$ROOT/.ci/tls_rehearsal.py" --base "$base" --cafile "$tmp/cert.pem" --token "$token"

echo "-- the audit log records the client's address, not the proxy's"
"$PY" "$ROOT/manage.py" shell -v 0 -c "
from thuisnet.core.models import AuditLog
rows = list(AuditLog.objects.filter(object_type__icontains='placement').order_by('-at').values_list('ip', 'actor_label')[:3])
print('  latest placement reads (ip, actor):', rows)
assert rows and rows[0][0] == '127.0.0.3', 'audit log does not show 127.0.0.3'
"
echo "tls rehearsal: passed"
