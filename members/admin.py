from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.models import (
    Confirmation,
    ConfirmationCampaign,
    ConfirmationRequest,
    Interest,
    Membership,
    Office,
    Person,
)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "email", "job_title", "user"]
    search_fields = ["first_name", "last_name", "email"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "committee", "role", "seat", "organisation", "start", "end"]
    list_filter = ["committee", "role"]
    search_fields = ["person__first_name", "person__last_name", "seat__title"]
    autocomplete_fields = ["person", "seat"]


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    list_display = ["person", "committee", "kind", "start", "end"]
    list_filter = ["committee", "kind"]


# The register of interests: staff normally use the secretariat screens; the admin is a backstop.


@admin.register(Interest)
class InterestAdmin(SimpleHistoryAdmin):
    list_display = ["person", "category", "involved", "start_date", "end_date", "state", "is_late"]
    list_filter = ["state", "category", "is_late"]
    search_fields = ["person__first_name", "person__last_name", "involved", "description"]
    autocomplete_fields = ["person"]
    readonly_fields = ["declared_at", "is_late", "reviewed_by", "reviewed_at"]


@admin.register(Confirmation)
class ConfirmationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "confirmed_at", "is_nil"]
    list_filter = ["is_nil"]
    autocomplete_fields = ["person"]


class ConfirmationRequestInline(admin.TabularInline):
    model = ConfirmationRequest
    extra = 0
    autocomplete_fields = ["person"]
    readonly_fields = ["membership", "invited", "reminders_sent", "last_reminded_at"]


@admin.register(ConfirmationCampaign)
class ConfirmationCampaignAdmin(SimpleHistoryAdmin):
    list_display = ["committee", "started_at", "due_date", "started_by"]
    inlines = [ConfirmationRequestInline]
