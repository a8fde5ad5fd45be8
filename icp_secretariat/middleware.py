"""Compulsory two-factor authentication, when MFA_REQUIRED_FOR_STAFF is on, for staff and the
secretariat and for the Chair, Vice-Chairs and Leadership Team (`must_use_two_factor`); privacy
headers on every response; signed-out visitors asked to sign in, then sent on, where the access
helpers say signing in may help."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers

from meetings.access import SignInFirst
from members.selectors import must_use_two_factor

_ALWAYS_ALLOWED = ("/accounts/", "/static/", "/favicon.ico")


_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class NulCharactersMiddleware:
    """NUL characters ("%00"), which PostgreSQL's text cannot hold: wherever one reached the
    database it was a 500 (a search, a filter, a slug, a minutes section, key messages).

    In the address they are answered 400 (templates/400.html; JSON under /api/) before anything
    looks them up: no one types one. In a posted form they are taken out of the values, so text
    pasted with one (from a damaged document, say) is saved without it rather than lost."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            raise BadRequest("The address holds a NUL character, which is not text.")
        if request.method == "POST" and request.content_type in _FORMS:
            posted = request.POST
            if any("\x00" in v for _, values in posted.lists() for v in values):
                cleaned = posted.copy()
                for key, values in posted.lists():
                    cleaned.setlist(key, [v.replace("\x00", "") for v in values])
                cleaned._mutable = False
                request.POST = cleaned
        return self.get_response(request)


class RequireStaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED_FOR_STAFF
            and request.user.is_authenticated
            and not request.path.startswith(_ALWAYS_ALLOWED)
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
            and must_use_two_factor(request.user)
        ):
            messages.warning(
                request,
                "Your account must use two-factor authentication. Set up an authenticator "
                "app to continue.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class PrivacyHeadersMiddleware:
    """`Permissions-Policy` on every response; `Cache-Control: private` on every response to a
    signed-in reader (member pages, and API answers that may carry Part 2 text), so no shared
    cache or proxy keeps what only they may read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response


class SignInFirstMiddleware:
    """A members' page (a meeting, paper or members' document) followed from an email by someone
    signed out: the sign-in page, with `next` the path asked for (relative, so always safe), and
    after signing in they are sent on. A signed-in person who is not entitled still gets 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, SignInFirst) and not request.user.is_authenticated:
            if request.method in ("GET", "HEAD"):
                return redirect_to_login(request.get_full_path())
            return redirect_to_login(request.path)
        return None
