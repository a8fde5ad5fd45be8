from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import Meeting


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["committee", "date", "start_time", "kind", "is_public", "status"]
    list_filter = ["committee", "kind", "status"]
    date_hierarchy = "date"
