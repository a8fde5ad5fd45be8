"""Compulsory two-factor authentication, when MFA_REQUIRED_FOR_STAFF is on, for staff and the
secretariat and for the Chair, Vice-Chairs and Leadership Team (`must_use_two_factor`)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

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
