"""The public site's domain errors: each message tells a person what to do instead."""


class AlertError(Exception):
    """A link that cannot be used (expired or altered); the message says what to do."""
