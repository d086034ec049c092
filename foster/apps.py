from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FosterConfig(AppConfig):
    name = "foster"
    verbose_name = _("Werving en plaatsingen")
    label = "foster"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from .models import EveningPage

        def _sync(sender, instance, **kwargs):
            from .services import sync_evening

            sync_evening(instance)

        page_published.connect(_sync, sender=EveningPage, weak=False, dispatch_uid="foster.sync_evening")

        from django.db.models.signals import pre_delete
        from wagtail.signals import page_unpublished

        def _gone(sender, instance, **kwargs):
            from .services import evening_withdrawn

            evening_withdrawn(instance)

        page_unpublished.connect(_gone, sender=EveningPage, weak=False, dispatch_uid="foster.unpublished")
        pre_delete.connect(_gone, sender=EveningPage, weak=False, dispatch_uid="foster.deleted")
