from django.contrib import admin

from communications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "message_name",
        "recipient",
        "committee",
        "state",
        "attempts",
        "sent_at",
    ]
    list_filter = ["state", "message_name", "committee"]
    search_fields = ["recipient", "subject", "idempotency_key"]
    readonly_fields = [
        "idempotency_key",
        "context",
        "attachments",
        "claimed_at",
        "sent_at",
        "created_at",
    ]
