from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "Members' portal"

    def ready(self) -> None:
        # Sign-out clears the offline reader's browser storage (issue 18).
        from portal import middleware  # noqa: F401
