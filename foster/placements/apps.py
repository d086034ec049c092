from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    """The placement register and breakdown monitor (part of foster care, own tables)."""

    name = "foster.placements"
    label = "placements"
    verbose_name = "Plaatsingen en breakdownmonitor"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Placement, Target

        def changed(sender, instance, **kwargs):
            from .dashboard import data_changed

            data_changed(instance.region_id)

        for model in (Placement, Target):
            post_save.connect(
                changed, sender=model, weak=False, dispatch_uid=f"placements.changed.{model.__name__}"
            )
            post_delete.connect(
                changed, sender=model, weak=False, dispatch_uid=f"placements.changed.del.{model.__name__}"
            )
