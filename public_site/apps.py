from django.apps import AppConfig

from meetings.signals import minutes_published, papers_dispatched


class PublicSiteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "public_site"
    verbose_name = "Public site"

    def ready(self) -> None:
        # Imported here: receivers import models, which the app registry loads first.
        from public_site import receivers

        papers_dispatched.connect(receivers.alert_papers_published, dispatch_uid="public_site")
        minutes_published.connect(receivers.alert_minutes_published, dispatch_uid="public_site")
