from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production"
DEBUG = False
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Work runs in-process in tests: search indexing and tasks happen at once.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests roll back instead of committing: write search documents at once (search.indexing).
SEARCH_INDEX_INLINE = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
ACCOUNT_RATE_LIMITS = {"login": "", "login_failed": "5/5m/key"}  # passwords: the adapter; codes: allauth
# No collectstatic in development and tests: WhiteNoise serves straight from the finders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests render every page; the page cache's own tests turn it on (tests/test_pagecache_*.py).
PAGE_CACHE_ENABLED = False
# Tests run without on_commit callbacks (no invalidation): the footer is read every time.
CHROME_CACHE_ENABLED = False
