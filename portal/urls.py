"""Members' pages, mounted at /my/."""

from django.urls import path

from portal import views
from portal import views_calendar as calendar
from portal import views_meetings as my_meetings
from portal import views_reader as reader

app_name = "portal"
urlpatterns = [
    path("", my_meetings.home, name="home"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/regenerate/", calendar.regenerate, name="calendar_regenerate"),
    path("calendar/revoke/", calendar.revoke, name="calendar_revoke"),
    path("notifications/", calendar.notifications, name="notifications"),
    path("interests/", views.interests, name="interests"),
    path("interests/declare/", views.declare, name="interests_declare"),
    path("interests/<int:pk>/edit/", views.edit, name="interests_edit"),
    path("interests/<int:pk>/end/", views.end, name="interests_end"),
    path("interests/nil-return/", views.nil_return, name="interests_nil_return"),
    path("interests/confirm/", views.confirm, name="interests_confirm"),
    # The offline reader (issue 18): service worker and manifest at /my/, their scope.
    path("sw.js", reader.service_worker, name="reader_sw"),
    path("manifest.webmanifest", reader.manifest, name="reader_manifest"),
    path("reader/", reader.index, name="reader"),
    path("reader/offline/", reader.offline, name="reader_offline"),
    path("reader/meetings/<int:meeting_id>/", reader.meeting, name="reader_meeting"),
    path(
        "reader/meetings/<int:meeting_id>/offline.json",
        reader.meeting_offline,
        name="reader_meeting_offline",
    ),
    path("reader/meetings/<int:meeting_id>/pack/", reader.pack, name="reader_pack"),
    path("reader/papers/<uuid:public_id>/", reader.paper, name="reader_paper"),
    path("reader/papers/<uuid:public_id>/pdf/", reader.paper_pdf, name="reader_paper_pdf"),
    path("reader/papers/<uuid:public_id>/notes/", reader.note_add, name="reader_note_add"),
    path("reader/notes/", reader.notes, name="reader_notes"),
    path("reader/notes/sync/", reader.notes_sync, name="reader_notes_sync"),
    path("reader/notes/export.txt", reader.notes_export_text, name="reader_notes_text"),
    path("reader/notes/export.pdf", reader.notes_export_pdf, name="reader_notes_pdf"),
    path("reader/notes/<uuid:note_id>/delete/", reader.note_delete, name="reader_note_delete"),
]
