"""Compulsory two-factor authentication, when MFA_REQUIRED_FOR_STAFF is on, for staff and the
secretariat and for the Chair, Vice-Chairs and Leadership Team (`must_use_two_factor`); privacy
headers on every response; signed-out visitors asked to sign in, then sent on, where the access
helpers say signing in may help."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers

from meetings.access import SignInFirst
from members.selectors import must_use_two_factor

_ALWAYS_ALLOWED = ("/accounts/", "/static/", "/favicon.ico")


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
