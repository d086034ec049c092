# Production image: gunicorn serves the site, the same image runs the worker.
# Not built on the development machines (no Docker engine there); CI rehearses the same
# steps without Docker (.ci/wheel.sh: lock file + wheel into a fresh venv, production
# settings; .ci/tls_rehearsal.sh: behind nginx with TLS).

# Stage 1: build the wheel (templates, static files, translations and data inside).
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY site ./site
COPY foster ./foster
COPY respite ./respite
COPY knowledge ./knowledge
COPY matching ./matching
COPY search ./search
RUN pip wheel --no-deps -w /dist .

# Stage 2: the exact dependencies from the lock file (hashes checked), then the wheel.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=thuisnet.settings.production \
    THUISNET_VAR_DIR=/app/var STATIC_ROOT=/app/staticfiles TRUSTED_PROXY_COUNT=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 curl postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 thuisnet

WORKDIR /app
COPY requirements/lock.txt /tmp/lock.txt
RUN pip install --require-hashes -r /tmp/lock.txt
COPY --from=build /dist/*.whl /tmp/
RUN pip install --no-deps /tmp/thuisnet-*.whl && rm /tmp/*.whl /tmp/lock.txt \
 && SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build thuisnet collectstatic --noinput \
 && mkdir -p /app/var/media && chown -R thuisnet /app/var
COPY scripts ./scripts

USER thuisnet
EXPOSE 8000
# /healthz answers plain HTTP with any Host header (it is served before the SSL redirect
# and the ALLOWED_HOSTS check), and 503 when the database or the worker is down.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
# One proxy (nginx or a load balancer) sets X-Forwarded-For: TRUSTED_PROXY_COUNT=1. Publish
# the port only to that proxy (never to the internet), or set TRUSTED_PROXY_COUNT=0.
CMD ["gunicorn", "thuisnet.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
