"""The documents app's domain errors: each message tells a person what to do instead."""


class DocumentError(Exception):
    """A document cannot be built; the message says what to do (and names the paper)."""
