#!/usr/bin/env bash
# Restore a backup made by backup.sh into DATABASE_URL and MEDIA_ROOT, after checking
# the SHA256SUMS. The database must exist (createdb); its tables are replaced.
#
#   DATABASE_URL=postgres://user:pass@host:5432/thuisnet scripts/restore.sh DIR
set -euo pipefail
dir="${1:?usage: restore.sh BACKUP_DIR}"
: "${DATABASE_URL:?set DATABASE_URL (postgres://...) to the database to restore into}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "restore: DATABASE_URL is not PostgreSQL" >&2; exit 2;; esac
media="${MEDIA_ROOT:-var/media}"

# A damaged or partial copy must never reach the database.
( cd "$dir" && sha256sum --check --strict --quiet SHA256SUMS ) || { echo "restore: checksum mismatch in $dir, nothing restored" >&2; exit 1; }

pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$dir/database.dump"
mkdir -p "$media"
tar -C "$media" -xzf "$dir/media.tar.gz"
echo "restore: $dir restored into the database and $media"
