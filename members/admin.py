from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.models import Membership, Office, Person


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
