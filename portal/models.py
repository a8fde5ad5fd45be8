"""The member's private notes on papers (issue 18), kept on the server so they follow the member.

A note belongs to its author alone: no secretariat screen, API, feed or search reads this model.
It is anchored by the text it quotes (with a little text either side), so it can be found again
in a later version of the paper; where the quote is gone it is listed as "no longer found".
`updated_at` is the time of the author's last edit on whichever device made it (the sync merges
by `client_id`, the later edit winning); `deleted` keeps a removal so other devices learn of it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Note(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_notes"
    )
    paper = models.ForeignKey(
        "meetings.Paper",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The version of the paper the note was written on.",
    )
    client_id = models.UUIDField(default=uuid.uuid4)
    quote = models.TextField(blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    page = models.PositiveIntegerField(null=True, blank=True)
    body = models.TextField(blank=True)
    deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["paper_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_id"], name="unique_note_per_author")
        ]

    def __str__(self) -> str:
        return f"Note {self.client_id}"
