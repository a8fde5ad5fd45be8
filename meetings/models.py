"""Meetings of a committee. Agendas, papers and the record build on these."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
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
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]

    def __str__(self) -> str:
        return f"{self.committee.display_short_name}, {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("public:meeting", args=[self.committee.slug, self.pk])
