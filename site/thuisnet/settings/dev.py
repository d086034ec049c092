from .base import *  # noqa: F403
from .env import envbool, envstr

DEBUG = envbool("DEBUG", True)
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# No collectstatic in development and tests: WhiteNoise serves straight from the finders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Development shows template and code changes at once: no anonymous page cache unless asked.
PAGE_CACHE_ENABLED = envbool("PAGE_CACHE_ENABLED", False)
