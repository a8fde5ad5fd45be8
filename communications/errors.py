"""The communications app's domain errors: each message tells a person what to do instead."""


class CommunicationsError(Exception):
    """A request about the outbox that cannot be done; the message says why."""
