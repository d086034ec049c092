from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import _database
from .env import envbool, envint, envstr

DEBUG = False
SECRET_KEY = envstr("SECRET_KEY", required=True)
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

# Production runs on PostgreSQL only: never fall back to a SQLite file inside the container,
# where data would vanish with the next image and concurrent writers would queue.
DATABASE_URL = envstr("DATABASE_URL")
if not DATABASE_URL or not DATABASE_URL.startswith(("postgres://", "postgresql://", "pgsql://")):
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL in production "
        "(postgres://user:password@host:5432/name); "
        f"got {'nothing' if not DATABASE_URL else DATABASE_URL.split(':', 1)[0] + '://…'}."
    )
# The primary; a report replica from DATABASE_REPLICA_URL (base settings) stays as it is.
DATABASES = {**DATABASES, "default": _database(DATABASE_URL, conn_max_age=60)}  # noqa: F405

# Payouts move real money: once a region turns them on, both Stripe secrets must be there
# (a missing webhook secret would leave every Stripe event refused, silently).
if PAYOUTS_ENABLED and not (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET):  # noqa: F405
    raise ImproperlyConfigured("PAYOUTS_ENABLED needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.")

SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
# /healthz answers 503 when the worker has been silent for five minutes (see core.views).
HEALTHZ_REQUIRE_WORKER = envbool("HEALTHZ_REQUIRE_WORKER", True)
# The health check speaks plain HTTP inside the container network (Docker, compose, a load
# balancer): it must get an answer, not a redirect to HTTPS that hides a dead database.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind the reverse proxy that terminates TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LOG_FORMAT = "json"
LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405
