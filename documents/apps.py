from django.apps import AppConfig

from icp_secretariat.lib import public_cache
from meetings.signals import agenda_changed


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Published documents"

    def ready(self) -> None:
        # Public pages are cached per "publication generation"; any write here moves it on.
        public_cache.watch_app(self.label)
        # Imported here: receivers import models, which the app registry loads first.
        from documents import receivers

        agenda_changed.connect(receivers.rebuild_after_agenda_change, dispatch_uid="documents")
