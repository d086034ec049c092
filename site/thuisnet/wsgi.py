import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuisnet.settings.production")
application = get_wsgi_application()


def _freeze_loaded_code() -> None:
    """Load the URL configuration (and with it every view, form and template tag module) now,
    then move everything loaded so far out of the garbage collector's sight.

    Django, Wagtail and the app are tens of thousands of long-lived objects; every full
    collection walked them all again, a pause of several milliseconds in the middle of a
    request (measured in ``benchmarks/respite_booking.py``: the slowest search answers). They
    live as long as the process, so there is nothing for the collector to find among them.
    """
    from django.conf import settings
    from django.urls import get_resolver

    get_resolver(settings.ROOT_URLCONF).url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()


_freeze_loaded_code()
