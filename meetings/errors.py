"""The meetings app's one domain error: its message tells a person what to do instead."""


class MeetingError(Exception):
    pass
