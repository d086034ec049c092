# Production image: gunicorn serves the site, the same image runs the worker.
# Not built on the development machines (no Docker engine there); kept conventional.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=thuisnet.settings.production

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 thuisnet

WORKDIR /app
COPY pyproject.toml README.md ./
COPY site ./site
COPY foster ./foster
COPY respite ./respite
COPY knowledge ./knowledge
COPY matching ./matching
COPY search ./search
COPY manage.py ./
RUN pip install . \
 && SECRET_KEY=build-only python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media && chown -R thuisnet /app/var

USER thuisnet
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["gunicorn", "thuisnet.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
