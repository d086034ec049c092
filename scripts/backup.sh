#!/usr/bin/env bash
# Back up Thuisnet: the PostgreSQL database (pg_dump custom format) and the media folder
# (uploaded documents and images), with a SHA256SUMS file that restore.sh checks first.
#
#   DATABASE_URL=postgres://user:pass@host:5432/thuisnet scripts/backup.sh [DIR]
#
# DIR defaults to var/backups/<UTC timestamp>; MEDIA_ROOT defaults to var/media.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL (postgres://...) to the database to back up}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "backup: DATABASE_URL is not PostgreSQL" >&2; exit 2;; esac
dir="${1:-var/backups/$(date -u +%Y%m%dT%H%M%SZ)}"
media="${MEDIA_ROOT:-var/media}"
mkdir -p "$dir"

# Custom format: compressed, restorable table by table, independent of the owner's role name.
pg_dump --format=custom --no-owner --no-privileges --file="$dir/database.dump" "$DATABASE_URL"
if [ -d "$media" ]; then
  tar -C "$media" -czf "$dir/media.tar.gz" .
else
  tar -czf "$dir/media.tar.gz" --files-from /dev/null  # no uploads yet: an empty archive
fi
( cd "$dir" && sha256sum database.dump media.tar.gz > SHA256SUMS )
echo "backup: $(du -sh "$dir" | cut -f1) in $dir"
