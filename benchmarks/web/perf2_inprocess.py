"""In-process timing of public pages (helper perf2): mean ms per request over N requests.

Production settings (DEBUG off, cached template loader), the page cache off (uncached rows)
or on (cached rows, each request a fresh anonymous client). Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thuisnet_perf2_demo \
      .venv/bin/python benchmarks/web/perf2_inprocess.py [--n 200] [--cached] [--profile PATH]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings_app")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("HEALTHZ_REQUIRE_WORKER", "false")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("THUISNET_VAR_DIR", "/tmp/perf2/var")
os.environ.setdefault("STATIC_ROOT", "/tmp/perf2/static")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--cached", action="store_true")
    parser.add_argument("--profile", default="")
    parser.add_argument("--only", default="")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from foster.models import EveningPage
    from knowledge.models import KnowledgeArticlePage

    evening = EveningPage.objects.live().public().first()
    article = KnowledgeArticlePage.objects.live().public().filter(forms__isnull=False).first()
    article = article or KnowledgeArticlePage.objects.live().public().first()
    targets = {
        "home": "/",
        "overview": "/informatieavonden/",
        "evening": evening.url,
        "article": article.url,
    }
    if args.only:
        targets = {k: v for k, v in targets.items() if k in args.only.split(",")}
    with override_settings(
        PAGE_CACHE_ENABLED=args.cached,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        print(f"DEBUG={settings.DEBUG} page cache={'on' if args.cached else 'off'} n={args.n}")
        for name, url in targets.items():
            for _ in range(5):  # warm up (and fill the cache)
                response = Client(HTTP_HOST="127.0.0.1").get(url)
                assert response.status_code == 200, (url, response.status_code)
            profiler = cProfile.Profile() if args.profile else None
            start = time.perf_counter()
            cpu = time.process_time()
            if profiler:
                profiler.enable()
            for _ in range(args.n):
                response = Client(HTTP_HOST="127.0.0.1").get(url)
            if profiler:
                profiler.disable()
            ms = (time.perf_counter() - start) * 1000 / args.n
            cpu_ms = (time.process_time() - cpu) * 1000 / args.n
            print(
                f"{name:10s} {url:45s} {ms:7.2f} ms wall {cpu_ms:7.2f} ms cpu"
                f"  X-Cache={response.get('X-Cache', '-')}"
            )
            if profiler:
                profiler.dump_stats(f"{args.profile}.{name}")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
