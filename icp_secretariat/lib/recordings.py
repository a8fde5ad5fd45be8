"""Links into a meeting's recording or live stream: a validator that accepts https only, and
the address that opens the recording at a given second, as each provider spells it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def validate_https_url(value: str) -> None:
    """Recording links must be https: a page served over https may not link people to http."""
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme.lower() != "https" or not parts.netloc:
        raise ValidationError(
            "Enter the recording's full address starting with https:// (for example "
            "https://www.youtube.com/watch?v=...). Links that are not https are not accepted.",
            code="https_only",
        )


MAX_SECONDS = 99 * 3600 + 59 * 60 + 59  # 99:59:59, more than any meeting's recording


def parse_timestamp(text: str) -> int | None:
    """'1:02:03', '62:03', '3723' or '' (None) to seconds; ValueError with a message otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    pieces = text.split(":")
    # Digits 0 to 9 only: "²".isdigit() is true, and int() refuses it.
    if len(pieces) > 3 or not all(p.isascii() and p.isdigit() for p in pieces):
        raise ValueError(f"“{text}” is not a time: write it as h:mm:ss, mm:ss or seconds.")
    seconds = 0
    for p in pieces:
        seconds = seconds * 60 + int(p)
    if len(pieces) > 1 and any(int(p) >= 60 for p in pieces[1:]):
        raise ValueError(f"“{text}”: minutes and seconds go up to 59.")
    if seconds > MAX_SECONDS:
        raise ValueError(f"“{text}” is later than any recording: a meeting's lasts hours.")
    return seconds


def format_timestamp(seconds: int | None) -> str:
    if seconds is None:
        return ""
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}"


def url_at(url: str, seconds: int | None) -> str:
    """The recording's address that starts playing at `seconds` (YouTube `t=` in the query,
    Vimeo `#t=…s`, anything else the W3C media fragment `#t=…`)."""
    if not url or seconds is None:
        return url
    seconds = int(seconds)
    parts = urlsplit(url)
    host = parts.netloc.lower().split(":")[0]
    if host in YOUTUBE_HOSTS:
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "t"]
        query.append(("t", f"{seconds}s"))
        return urlunsplit(parts._replace(query=urlencode(query), fragment=""))
    if host in VIMEO_HOSTS:
        return urlunsplit(parts._replace(fragment=f"t={seconds}s"))
    return urlunsplit(parts._replace(fragment=f"t={seconds}"))
