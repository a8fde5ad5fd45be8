"""Compulsory two-factor authentication for staff when MFA_REQUIRED_FOR_STAFF is on; signed-out
visitors asked to sign in, then sent on, where the access helpers say signing in may help."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from committees.selectors import is_staff_user
from meetings.access import SignInFirst

_ALWAYS_ALLOWED = ("/accounts/", "/static/", "/favicon.ico")


class RequireStaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED_FOR_STAFF
            and request.user.is_authenticated
            and not request.path.startswith(_ALWAYS_ALLOWED)
            and is_staff_user(request.user)
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            messages.warning(
                request,
                "Staff accounts must use two-factor authentication. Set up an authenticator "
                "app to continue.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


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
