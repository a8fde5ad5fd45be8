"""The members app's domain errors: each message tells a person what to do instead."""


class InterestError(Exception):
    """A request about the register that cannot be carried out; the message says why."""
