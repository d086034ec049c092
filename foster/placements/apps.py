from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    """The placement register and breakdown monitor (part of foster care, own tables)."""

    name = "foster.placements"
    label = "placements"
    verbose_name = "Plaatsingen en breakdownmonitor"
