"""Celery discovers `<app>.tasks`: the documents task lives beside its service."""

from documents.services import build_meeting_documents

__all__ = ["build_meeting_documents"]
