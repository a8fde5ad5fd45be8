"""Celery task that brings a meeting's published documents up to date (takes a primary key)."""

from __future__ import annotations

from celery import shared_task

from documents.services import run_build


@shared_task(name="documents.tasks.build_meeting_documents")
def build_meeting_documents(build_id: int) -> str:
    build = run_build(build_id=build_id)
    return build.state if build is not None else "missing"
