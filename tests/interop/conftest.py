"""The meetings world (tests/meetings/conftest.py) for the interoperability tests."""

from tests.meetings.conftest import *  # noqa: F403
