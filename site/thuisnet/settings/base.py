"""Settings shared by every environment. Values that differ come from the environment."""

from __future__ import annotations

import contextlib
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import envbool, envchoice, envint, envlist, envstr

SITE_DIR = Path(__file__).resolve().parents[2]  # site/ (site-packages/ when installed from the wheel)
BASE_DIR = SITE_DIR.parent  # the repository
# Runtime files (SQLite, media, outgoing mail in development, collected static files) live in
# the checkout; an installed wheel has no checkout, so there they go beside the working
# directory (the Docker image runs in /app) unless THUISNET_VAR_DIR / STATIC_ROOT say otherwise.
APP_DIR = BASE_DIR if (BASE_DIR / "manage.py").is_file() else Path.cwd()
VAR_DIR = Path(envstr("THUISNET_VAR_DIR", str(APP_DIR / "var")))
# var/ is ignored by git, so a fresh clone has none: create it here, before anything
# (SQLite above all) tries to open a file in it.
with contextlib.suppress(PermissionError):  # a read-only image that keeps no files here
    VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = envstr("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies we control stand in front of Django (0: none, as in development;
# 1: nginx or a load balancer that sets X-Forwarded-For to the address it saw). The one
# setting behind the audit log (thuisnet.core.net.client_ip), allauth's login throttling and
# DRF's throttles, so a client can never pick its own identity with X-Forwarded-For.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Absolute base for links in emails and calendar files (no request is at hand in the worker).
BASE_URL = envstr("BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # project
    "thuisnet.accounts",
    "thuisnet.core",
    "thuisnet.home",
    "foster",
    "foster.placements",
    "respite",
    "respite.payouts",
    "knowledge",
    "matching",
    "search",
    # wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # identity
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # calendars, background work, API
    "schedule",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # ReDoc served from this host, not a CDN
    "csp",
    # django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "thuisnet.core.health.HealthCheckMiddleware",  # first: plain HTTP, any Host (see there)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "thuisnet.core.middleware.DutchByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After the language (part of the key) and CSRF (a hit fills in this visitor's token);
    # before auth, messages and the staff 2FA check, which a visitor without a session cookie
    # does not need on a hit (a miss runs them and ``_storable`` reads what they set); before
    # X-Frame-Options and CSP, whose headers it stores with the page (no nonce).
    "thuisnet.core.pagecache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "thuisnet.accounts.middleware.RequireStaffMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "thuisnet.urls"
WSGI_APPLICATION = "thuisnet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "thuisnet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "wagtail.contrib.settings.context_processors.settings",
                "thuisnet.core.context_processors.site_chrome",
            ],
        },
    },
]


# Database: SQLite under var/ unless DATABASE_URL says otherwise.
def _database(url: str, *, conn_max_age: int = 0) -> dict:
    # Production keeps connections between requests (measured: CONN_MAX_AGE 0 halves the
    # throughput of light pages on PostgreSQL); the health check drops a dead one first.
    config = dj_database_url.parse(url, conn_max_age=envint("DB_CONN_MAX_AGE", conn_max_age, minimum=0))
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE makes each write transaction take SQLite's write lock at BEGIN, so
        # concurrent writers queue for `timeout` seconds instead of failing with
        # "database is locked" when they upgrade a read lock half-way through.
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    elif config["ENGINE"].startswith("django.db.backends.postgresql"):
        # A silent database must not hang requests for minutes: give up connecting after
        # DB_CONNECT_TIMEOUT seconds and cancel any statement after DB_STATEMENT_TIMEOUT ms.
        config.setdefault("OPTIONS", {})
        config["OPTIONS"]["connect_timeout"] = envint("DB_CONNECT_TIMEOUT", 5, minimum=1)
        statement_ms = envint("DB_STATEMENT_TIMEOUT", 30_000, minimum=0)
        config["OPTIONS"]["options"] = f"-c statement_timeout={statement_ms}"
    return config


DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'thuisnet.sqlite3'}")
DATABASES = {"default": _database(DATABASE_URL)}
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
# A PostgreSQL streaming replica for region-wide reports (docs/SCALE.md, thuisnet.core.dbrouter);
# unset: everything reads the primary. Only code inside ``report_reads()`` reads it, and only
# while it is at most REPORT_REPLICA_MAX_LAG_SECONDS behind.
DATABASE_REPLICA_URL = envstr("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests read what they wrote
DATABASE_ROUTERS = ["thuisnet.core.dbrouter.ReportRouter"]
REPORT_REPLICA_MAX_LAG_SECONDS = envint("REPORT_REPLICA_MAX_LAG_SECONDS", 60, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Identity
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "thuisnet.accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "thuisnet.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Thuisnet] "
# Failed logins are throttled by the account adapter (thuisnet.accounts.adapters) per
# (address, account), per account, and per address only for accounts that already failed
# there, so one address's failures never refuse another account's correct password.
# allauth's own per-IP login limits would do exactly that, so they are off.
ACCOUNT_RATE_LIMITS = {
    "login": "",
    # Passwords are throttled by our adapter (accounts/adapters.py); allauth still uses this
    # action for second-factor codes (per user): 5 wrong codes, then 5 minutes' wait.
    "login_failed": "5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/h/key",  # at most 5 reset mails an hour to one address
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Thuisnet"
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False

# Internationalisation: Dutch first, English available. Source strings are Dutch.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [SITE_DIR / "thuisnet" / "locale"]
LANGUAGE_COOKIE_NAME = "thuisnet_language"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = [("nl", "Nederlands")]

# Static and media files: served by WhiteNoise, nothing from other hosts.
STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(APP_DIR / "staticfiles")))
STATICFILES_DIRS = [SITE_DIR / "thuisnet" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: everything goes through the outbox (thuisnet.core.mail); the worker sends it.
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Thuisnet <noreply@thuisnet.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", 12, minimum=1)

# Background work: django-tasks with a database-backed worker (`manage.py worker`).
TASKS_BACKEND = envchoice("TASKS_BACKEND", "database", {"database", "immediate"})
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Cache: Redis when configured (shared between web processes, so login throttling
# holds across them); otherwise the database, which is shared too and needs no server.
REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "thuisnet.settings.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "thuisnet_cache"}
    }

# Anonymous page cache (thuisnet.core.pagecache): public pages for visitors without a
# session, invalidated by tags; PAGE_CACHE_ENABLED=false turns it off.
PAGE_CACHE_ENABLED = envbool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_ALIAS = "default"
# Outer bound for any cached page (time-based content such as "upcoming" lists and review
# notices), and for pages with seat badges, which must never be stale for long.
PAGE_CACHE_TTL = envint("PAGE_CACHE_TTL", 600, minimum=1, maximum=24 * 60 * 60)
PAGE_CACHE_SEATS_TTL = envint("PAGE_CACHE_SEATS_TTL", 5, minimum=1, maximum=300)
# The shared chrome of uncached renders (the footer settings) read from the cache until
# "pages" is invalidated (thuisnet.core.context_processors); independent of the page cache.
CHROME_CACHE_ENABLED = envbool("CHROME_CACHE_ENABLED", True)

# Wagtail
WAGTAIL_SITE_NAME = "Thuisnet"
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no requests to other hosts
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "odt", "xlsx", "ods", "txt"]
WAGTAIL_MODERATION_ENABLED = True
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        **({"SEARCH_CONFIG": "dutch"} if DATABASE_IS_POSTGRES else {}),
    }
}
WAGTAILEMBEDS_FINDERS: list = []  # embeds would fetch from other hosts

# Optional integrations
ELASTICSEARCH_URL = envstr("ELASTICSEARCH_URL")
if ELASTICSEARCH_URL:
    # Same search API for every app; Wagtail's Elasticsearch 8 backend with Dutch analysis.
    # Fill the index with `manage.py update_index` after switching.
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": envstr("ELASTICSEARCH_INDEX", "thuisnet"),
            "TIMEOUT": envint("ELASTICSEARCH_TIMEOUT", 5, minimum=1),
            "OPTIONS": {},
            "INDEX_SETTINGS": {
                "settings": {"index": {"analysis": {"analyzer": {"default": {"type": "dutch"}}}}}
            },
        }
    }
PAYOUTS_ENABLED = envbool("PAYOUTS_ENABLED", False)
STRIPE_SECRET_KEY = envstr("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = envstr("STRIPE_WEBHOOK_SECRET")
STRIPE_API_BASE = envstr("STRIPE_API_BASE")  # a local stand-in in tests

# API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Both keep the second factor: staff sessions count after 2FA, staff tokens only
        # for accounts with TOTP (thuisnet.accounts.api_auth).
        "thuisnet.accounts.api_auth.MFATokenAuthentication",
        "thuisnet.accounts.api_auth.MFASessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "thuisnet.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        # Every write, counted atomically per user or client address (thuisnet.core.ratelimit).
        "thuisnet.core.ratelimit.ApiWriteThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "600/minute"},
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
# DRF's throttles follow the same proxy count (set apart from the block above on purpose).
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
SPECTACULAR_SETTINGS = {
    "TITLE": "Thuisnet API",
    "DESCRIPTION": "API van Thuisnet voor aanbieders, gemeenten en apps van ouders.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # ReDoc and Swagger UI from drf-spectacular-sidecar's static files: no CDN, no web fonts.
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Only our own API: Wagtail's internal admin API is not for others to build on.
    "PREPROCESSING_HOOKS": ["thuisnet.core.api.only_public_api"],
    # One schema name for each choice set that several serializers use.
    "ENUM_NAME_OVERRIDES": {
        "FosterFamilyFormEnum": "foster.models.FamilyForm",
        "RespiteNeedEnum": "respite.models.Need",
    },
}

# Security headers and a content security policy: the site loads nothing from other hosts.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    # The Wagtail admin ships inline scripts and styles; it is staff-only and behind 2FA.
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOG_FORMAT = envchoice("LOG_FORMAT", "text", {"text", "json"})
LOG_LEVEL = envchoice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "thuisnet.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},  # "no more tasks" every tick
    },
}

THUISNET_REGION_NAME = _("Midden-IJssel/Oost-Veluwe")
