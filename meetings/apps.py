from django.apps import AppConfig

from communications.signals import outbox_sweep
from icp_secretariat.lib import public_cache


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # Public pages are cached per "publication generation"; any write here moves it on, but
        # the log of paper downloads, which no public page shows.
        public_cache.watch_app(self.label, quiet=("PaperDownload",))
        # Imported here: receivers import models, which the app registry loads first.
        from meetings import receivers

        outbox_sweep.connect(receivers.plan_due_reminders, dispatch_uid="meetings")
