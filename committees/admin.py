from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from committees.models import (
    ClosureDay,
    Committee,
    CommitteeRules,
    OfficeEligibility,
    Organisation,
    Part2Ground,
    Place,
    PresidingFallback,
    QuorumCondition,
    Seat,
)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Place)
class PlaceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]


class Part2GroundInline(admin.TabularInline):
    model = Part2Ground
    extra = 0


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "parent", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["statutory_partners", "places", "secretariat"]
    inlines = [SeatInline, Part2GroundInline]
    search_fields = ["name"]


class QuorumConditionInline(admin.TabularInline):
    model = QuorumCondition
    extra = 0


class PresidingFallbackInline(admin.TabularInline):
    model = PresidingFallback
    extra = 0


class OfficeEligibilityInline(admin.TabularInline):
    model = OfficeEligibility
    extra = 0


@admin.register(CommitteeRules)
class CommitteeRulesAdmin(SimpleHistoryAdmin):
    list_display = ["committee", "notice_days", "papers_days", "item_request_days"]
    inlines = [QuorumConditionInline, OfficeEligibilityInline, PresidingFallbackInline]


@admin.register(Seat)
class SeatAdmin(SimpleHistoryAdmin):
    list_display = ["title", "committee", "reference", "role", "organisation", "place"]
    list_filter = ["committee", "role"]
    search_fields = ["title"]


@admin.register(ClosureDay)
class ClosureDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "description", "region"]
    list_filter = ["region"]
    date_hierarchy = "date"
