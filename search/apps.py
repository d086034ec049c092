from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Zoeken"
    label = "search"

    def ready(self) -> None:
        # Saves and deletes of every provider's watched models note an index update.
        from .indexing import connect_signals

        connect_signals()
