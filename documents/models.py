"""Published documents of a meeting (agenda and agenda pack PDFs) and the builds that make them.

A PublishedDocument is never overwritten: new content (a new content hash) makes a new version,
and every version's file stays where it was, so a URL once shown keeps serving the same bytes.
Writes go through documents.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meetings.models import Meeting


class Kind(models.TextChoices):
    AGENDA = "agenda", "Agenda"
    PACK = "pack", "Agenda pack"


class Audience(models.TextChoices):
    PUBLIC = "public", "Public"
    MEMBERS = "members", "Members"


class PublishedDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    version = models.PositiveIntegerField(help_text="1, 2, 3… per meeting, kind and audience.")
    content_hash = models.CharField(
        max_length=64, help_text="Hash of everything that went in: the build key and the ETag."
    )
    storage_name = models.CharField(
        max_length=100, help_text="System-chosen file name under PRIVATE_MEDIA_ROOT."
    )
    page_count = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()
    layout = models.JSONField(
        default=dict, blank=True, help_text="The pack's page plan (front pages, papers' pages)."
    )
    # The papers shown in it (listed or bound in): a members' document is served only to a reader
    # who may open every one of them, so a paper withheld later never leaks through an old URL.
    paper_ids = models.JSONField(default=list, blank=True)
    agenda_version = models.PositiveIntegerField(null=True, blank=True)
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "kind", "audience", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "audience", "version"], name="unique_document_version"
            ),
            models.UniqueConstraint(
                fields=["meeting", "kind", "audience", "content_hash"],
                name="unique_document_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.audience}) v{self.version}: {self.meeting}"

    @property
    def file_name(self) -> str:
        """The name in the URL: `pack-public-v3.pdf`."""
        return f"{self.kind}-{self.audience}-v{self.version}.pdf"


class DocumentBuild(models.Model):
    """One request to bring a meeting's published documents up to date with its agenda."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        SUPERSEDED = "superseded", "Superseded by a later request"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="document_builds")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    reason = models.CharField(max_length=100, blank=True)
    # A reader whose variant of the members' documents is wanted (a Part 2 paper withheld).
    for_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    error = models.TextField(blank=True)
    documents_made = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["meeting", "state"])]

    def __str__(self) -> str:
        return f"Build {self.pk} of {self.meeting}: {self.state}"

    @property
    def pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
