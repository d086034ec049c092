from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "Kennisbank en vragen"
    label = "knowledge"

    def ready(self) -> None:
        # Registers the start-path rules. Once accounts/policies/__init__.py imports the
        # module itself, this line is harmless (a module is imported once).
        import thuisnet.accounts.policies.startpath  # noqa: F401
