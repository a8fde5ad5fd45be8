from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # Imported here: receivers import models, which the app registry loads first.
        from communications.signals import outbox_sweep
        from meetings import receivers

        outbox_sweep.connect(receivers.plan_due_reminders, dispatch_uid="meetings")
