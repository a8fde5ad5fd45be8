"""Content-Security-Policy helpers (django-csp does the header; settings hold the policy).

The policy allows no inline script or style. A page that must show inline code as a partner
would paste it (the example partner page of the embeds) allows exactly that code by its hash,
computed from the response on every request (cached pages included), never 'unsafe-inline'.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import wraps

_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"', re.I)


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def allow_inline_code(view):
    """Allow this page's own inline scripts and styles, by hash, and nothing else."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            return response
        html = response.content.decode(response.charset or "utf-8")
        scripts = sorted({_hash(body) for body in _SCRIPT.findall(html)})
        styles = sorted({_hash(body) for body in _STYLE.findall(html)})
        attributes = sorted({_hash(value) for value in _STYLE_ATTR.findall(html)})
        update = dict(getattr(response, "_csp_update", None) or {})
        if scripts:
            update["script-src"] = scripts
        if styles or attributes:
            update["style-src"] = styles + (["'unsafe-hashes'", *attributes] if attributes else [])
        response._csp_update = update
        return response

    return wrapper


def frameable_anywhere(response):
    """This response may be framed by any site (the embeds): `frame-ancestors *`."""
    update = dict(getattr(response, "_csp_update", None) or {})
    update["frame-ancestors"] = ["*"]
    response._csp_update = update
    return response
