from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "thuisnet.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        # Periodic jobs register themselves in each app's jobs.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")

        # The anonymous page cache: Wagtail's page events invalidate it, a hook tags pages.
        from . import pagecache

        pagecache.connect()
