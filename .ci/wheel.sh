#!/usr/bin/env bash
# CI step: the production artefact serves. Build the wheel, check it carries templates,
# static files, translations and data, install it with the lock file into a fresh venv
# outside the repository, then collectstatic, migrate, load_demo, worker and gunicorn with
# the production settings on PostgreSQL, and fetch the newcomer's pages.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/.ci/lib.sh"
DB=thuisnet_deploy_wheel
tmp=$(mktemp -d /tmp/thuisnet-wheel.XXXXXX)
web="" worker=""
cleanup() { stop_group "$web"; stop_group "$worker"; drop_db "$DB"; rm -rf "$tmp" "$ROOT/build"; }
trap cleanup EXIT
ensure_postgres

echo "-- build"
python3.11 -m venv "$tmp/build-venv"
"$tmp/build-venv/bin/pip" install --quiet --upgrade pip
"$tmp/build-venv/bin/pip" wheel --quiet --no-deps -w "$tmp/dist" "$ROOT"
wheel=$(ls "$tmp"/dist/thuisnet-*.whl)
echo "-- contents of $(basename "$wheel")"
python3 -m zipfile -l "$wheel" | awk 'NR>1 {print $1}' >"$tmp/contents"
for kind in html txt css js svg ico mo po csv; do
  printf '  %-4s %4d files\n' "$kind" "$(grep -c "\.$kind\$" "$tmp/contents" || true)"
done
for must in thuisnet/templates/base.html thuisnet/home/templates/home/home_page.html \
    thuisnet/static/thuisnet/css/main.css thuisnet/static/thuisnet/img/favicon.ico \
    thuisnet/locale/en/LC_MESSAGES/django.mo foster/locale/en/LC_MESSAGES/django.mo \
    thuisnet/core/data/pc4_demo_region.csv thuisnet/templates/api/redoc.html; do
  grep -qx "$must" "$tmp/contents" || { echo "missing from the wheel: $must" >&2; exit 1; }
done

echo "-- install into $tmp/venv from the lock file and the wheel"
python3.11 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --require-hashes -r "$ROOT/requirements/lock.txt"
"$tmp/venv/bin/pip" install --quiet --no-deps "$wheel"

mkdir -p "$tmp/app" && cd "$tmp/app"  # the working directory holds var/ and staticfiles/
export DJANGO_SETTINGS_MODULE=thuisnet.settings.production PYTHONPATH= \
  SECRET_KEY="ci-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')" \
  ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false \
  DATABASE_URL="$PG_ADMIN_URL/$DB" EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
located=$("$tmp/venv/bin/python" -c 'import thuisnet; print(thuisnet.__file__)')
case "$located" in "$tmp/venv/"*) echo "thuisnet imported from $located" ;;
  *) echo "thuisnet imported from outside the venv: $located" >&2; exit 1 ;; esac
recreate_db "$DB"
T=$SECONDS
"$tmp/venv/bin/thuisnet" collectstatic --noinput -v 0
"$tmp/venv/bin/thuisnet" migrate --noinput -v 0
"$tmp/venv/bin/thuisnet" createcachetable
"$tmp/venv/bin/thuisnet" load_demo >"$tmp/load_demo.log" 2>&1 || { tail -30 "$tmp/load_demo.log"; exit 1; }
echo "collectstatic + migrate + load_demo: $((SECONDS - T))s"
save_template "$DB"
setsid "$tmp/venv/bin/thuisnet" worker >"$tmp/worker.log" 2>&1 &
worker=$!
port=$(free_port)
setsid "$tmp/venv/bin/gunicorn" thuisnet.wsgi:application --bind "127.0.0.1:$port" --workers 2 \
  >"$tmp/gunicorn.log" 2>&1 &
web=$!
wait_for "http://127.0.0.1:$port/healthz" 60 || { tail -30 "$tmp/gunicorn.log" "$tmp/worker.log"; exit 1; }
fetch_pages "http://127.0.0.1:$port" || { tail -40 "$tmp/gunicorn.log"; exit 1; }
echo "wheel: the installed package served every page with the production settings"
