from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import Meeting, MeetingChange


class MeetingChangeInline(admin.TabularInline):
    model = MeetingChange
    extra = 0
    readonly_fields = [
        "kind",
        "old_date",
        "old_start_time",
        "new_date",
        "new_start_time",
        "reason",
        "by",
        "at",
    ]
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = [
        "committee",
        "date",
        "start_time",
        "kind",
        "is_public",
        "status",
        "notice_given_at",
    ]
    list_filter = ["committee", "kind", "status"]
    date_hierarchy = "date"
    inlines = [MeetingChangeInline]
