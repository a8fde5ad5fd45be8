"""The meetings app's domain errors: each message tells a person what to do instead.

Every refusal in the app is a `MeetingsError`, raised by the sub-package it belongs to. This
module imports nothing of the app, so it sits at the bottom of meetings, beside the models.
"""


class MeetingsError(Exception):
    """A request the meetings rules refuse; the message says what to do instead."""


class MeetingError(MeetingsError):
    """Scheduling refuses: a meeting cannot be scheduled, moved, cancelled or given notice of."""


class AgendaError(MeetingsError):
    """A request the agenda rules refuse; the message says what to do instead."""


class PaperError(AgendaError):
    """The uploaded file cannot be accepted as a paper; the message says why."""


class ConductError(MeetingsError):
    """A rule of the meeting stops the action; the message says why in words."""
