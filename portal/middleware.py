"""The offline reader's two headers (issue 18).

- Every signed-in answer under /my/ names this person's cache in this session
  (`X-Reader-Token`); the service worker keeps no other reader cache, and drops them all when a
  page under /my/ answers without one.
- The answer that signs a person out asks the browser to clear its caches and storage (the
  reader's cache, notes not yet synced, the service worker): `Clear-Site-Data`.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from portal.reader import reader_token

_FLAG = "_portal_signed_out"
READER_HEADER = "X-Reader-Token"
MY = "/my/"


@receiver(user_logged_out)
def _mark_signed_out(sender, request, user, **kwargs):
    if request is not None:
        setattr(request, _FLAG, True)


class ClearReaderOnSignOutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, _FLAG, False):
            response["Clear-Site-Data"] = '"cache", "storage"'
        elif request.path.startswith(MY) and READER_HEADER not in response:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                response[READER_HEADER] = reader_token(request)
        return response
