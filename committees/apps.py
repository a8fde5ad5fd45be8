from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "committees"
    verbose_name = "Committees and partners"

    def ready(self) -> None:
        # Public pages are cached per "publication generation"; any write moves it on.
        from icp_secretariat.lib.public_cache import connect_signals

        connect_signals()
