#!/usr/bin/env bash
# CI step: backup and restore, rehearsed. Load the demo into a PostgreSQL database, add a
# media file, `make backup`; check that a damaged copy is refused; `make restore` into a
# new database; then every table's row count must match, the media must match, and a demo
# user must log in against the restored copy.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/.ci/lib.sh"
SRC=thuisnet_deploy_backup_src DST=thuisnet_deploy_backup_dst
PY="$ROOT/.venv/bin/python"
tmp=$(mktemp -d /tmp/thuisnet-backup.XXXXXX)
cleanup() { drop_db "$SRC"; drop_db "$DST"; rm -rf "$tmp"; }
trap cleanup EXIT
ensure_postgres
cd "$ROOT"
export DJANGO_SETTINGS_MODULE=thuisnet.settings.dev THUISNET_VAR_DIR="$tmp/var" TASKS_BACKEND=immediate

T=$SECONDS
if ! from_template "$SRC"; then
  recreate_db "$SRC"
  DATABASE_URL="$PG_ADMIN_URL/$SRC" "$PY" manage.py migrate --noinput -v 0
  DATABASE_URL="$PG_ADMIN_URL/$SRC" "$PY" manage.py createcachetable
  DATABASE_URL="$PG_ADMIN_URL/$SRC" "$PY" manage.py load_demo >"$tmp/load_demo.log" 2>&1 || { tail -30 "$tmp/load_demo.log"; exit 1; }
fi
echo "database with the demo: $((SECONDS - T))s"
mkdir -p "$tmp/media/documents"
head -c 200000 /dev/urandom >"$tmp/media/documents/werkafspraken.pdf"

T=$SECONDS
DATABASE_URL="$PG_ADMIN_URL/$SRC" MEDIA_ROOT="$tmp/media" make -s backup BACKUP_DIR="$tmp/backup"
echo "backup: $((SECONDS - T))s"; cat "$tmp/backup/SHA256SUMS"

echo "-- a damaged copy is refused before anything is touched"
cp -r "$tmp/backup" "$tmp/damaged"
printf 'x' | dd of="$tmp/damaged/database.dump" bs=1 seek=100 conv=notrunc status=none
recreate_db "$DST"
if DATABASE_URL="$PG_ADMIN_URL/$DST" MEDIA_ROOT="$tmp/restored" make -s restore BACKUP="$tmp/damaged" >/dev/null 2>"$tmp/damaged.err"; then
  echo "a damaged backup was restored" >&2; exit 1
fi
grep "checksum mismatch" "$tmp/damaged.err" || { cat "$tmp/damaged.err"; exit 1; }

T=$SECONDS
DATABASE_URL="$PG_ADMIN_URL/$DST" MEDIA_ROOT="$tmp/restored" make -s restore BACKUP="$tmp/backup"
echo "restore: $((SECONDS - T))s"

echo "-- row counts, table by table"
"$PY" - "$PG_ADMIN_URL/$SRC" "$PG_ADMIN_URL/$DST" <<'PYTHON'
import sys
import psycopg

def counts(url):
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}

src, dst = counts(sys.argv[1]), counts(sys.argv[2])
differ = {t: (src.get(t), dst.get(t)) for t in set(src) | set(dst) if src.get(t) != dst.get(t)}
print(f"  {len(src)} tables, {sum(src.values())} rows in the original; {len(dst)} tables, {sum(dst.values())} rows restored")
if differ:
    sys.exit(f"row counts differ: {differ}")
PYTHON
diff -r "$tmp/media" "$tmp/restored" && echo "  media: identical"

echo "-- a demo user logs in against the restored copy"
DATABASE_URL="$PG_ADMIN_URL/$DST" ALLOWED_HOSTS=testserver "$PY" manage.py shell -v 0 -c "
from django.test import Client
client = Client()
response = client.post('/accounts/login/', {'login': 'pleegouder@thuisnet.example', 'password': 'Thuisnet-demo-2026'})
assert response.status_code == 302 and '/accounts/login/' not in response['Location'], response.status_code
assert client.get('/').wsgi_request.user.email == 'pleegouder@thuisnet.example'
print('  pleegouder@thuisnet.example logged in:', response.status_code, '->', response['Location'])
"
echo "backup rehearsal: passed"
