"""Meetings of a committee. Agendas, papers and the record build on these."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from committees.models import Committee


class MeetingQuerySet(models.QuerySet):
    def scheduled(self) -> MeetingQuerySet:
        return self.exclude(status=Meeting.Status.CANCELLED)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", "Ordinary"
        EXTRAORDINARY = "extraordinary", "Extraordinary"
        URGENT = "urgent", "Urgent"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    webcast_link = models.URLField(blank=True)
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.ORDINARY)
    is_public = models.BooleanField(
        default=True, help_text="Untick for a meeting held wholly in private (Part 2)."
    )
    urgent_reason = models.TextField(
        blank=True, help_text="Why the meeting is called at short notice (K&M ToR 7.3)."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.TextField(blank=True)
    # Facts the deadlines are measured against (meetings.deadlines).
    notice_given_at = models.DateTimeField(null=True, blank=True)
    papers_dispatched_at = models.DateTimeField(
        null=True, blank=True, help_text="When the agenda and papers were sent (ToR 12.2)."
    )
    minutes_circulated_at = models.DateTimeField(null=True, blank=True)
    # iCalendar SEQUENCE: goes up each time the meeting moves, so calendars replace the old entry.
    sequence = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]

    def __str__(self) -> str:
        return f"{self.committee.display_short_name}, {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("public:meeting", args=[self.committee.slug, self.pk])

    def get_secretariat_url(self) -> str:
        return reverse("meetings_admin:meeting", args=[self.committee.slug, self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def place(self) -> str:
        """Where it is held, for notices: the venue, the online link, or both."""
        if self.venue and self.online_link:
            return f"{self.venue} (or online: {self.online_link})"
        return self.venue or (f"Online: {self.online_link}" if self.online_link else "")


class MeetingChange(models.Model):
    """The log of a meeting's scheduling: when it was set, moved or cancelled, by whom and why."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"
        NOTICE = "notice", "Notice issued"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    old_date = models.DateField(null=True, blank=True)
    old_start_time = models.TimeField(null=True, blank=True)
    new_date = models.DateField(null=True, blank=True)
    new_start_time = models.TimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.meeting} ({self.at:%d %b %Y})"
