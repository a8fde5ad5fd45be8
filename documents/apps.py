from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Published documents"

    def ready(self) -> None:
        # Imported here: receivers import models, which the app registry loads first.
        from documents import receivers
        from meetings.signals import agenda_changed

        agenda_changed.connect(receivers.rebuild_after_agenda_change, dispatch_uid="documents")
