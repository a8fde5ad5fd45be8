"""Sign-in rules: accounts are created by the secretariat, so public signup is closed, and each
person lands on their own work after signing in (issue 13): secretariat officers and
administrators on the secretariat dashboard, everyone else (Members, Participants, the Chair,
the Leadership Team, observers) on their own page, /my/, with what is due from them.

Who counts as staff is `committees.selectors.is_staff_user`.

Sign-in throttling (issue 16) counts failures per account *and* client address together, so an
attacker elsewhere cannot lock the account holder out (the address is `client_address`: the
proxy's X-Forwarded-For only with TRUST_PROXY). Failures for an account from anywhere are
counted too: past SIGNIN_ALERT_FAILURES in a SIGNIN_ALERT_WINDOW the account holder is emailed
once for that window, through the outbox.
"""

from __future__ import annotations

import time

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse

from committees.selectors import is_staff_user
from communications.mail import absolute_url, queue_message
from icp_secretariat.lib.client_address import client_address


def _login_of(credentials: dict) -> str:
    return (credentials.get("email") or credentials.get("username") or "").strip().lower()


def _account_for(login: str):
    if not login:
        return None
    users = get_user_model().objects.filter(Q(username__iexact=login) | Q(email__iexact=login))
    found = list(users.filter(is_active=True)[:2])
    return found[0] if len(found) == 1 else None


def note_failed_sign_in(request, login: str) -> bool:
    """Count one failed sign-in for the account `login`; email its holder once per window when
    the failures pass the limit. True when an email was queued."""
    window = max(int(settings.SIGNIN_ALERT_WINDOW), 60)
    started = int(time.time()) // window * window
    key = f"signin-failures:{login}:{started}"
    cache.add(key, 0, timeout=window + 60)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 60)
        failures = 1
    if failures != int(settings.SIGNIN_ALERT_FAILURES):
        return False
    user = _account_for(login)
    if user is None or not user.email:
        return False
    _, created = queue_message(
        recipient=user.email,
        recipient_name=user.get_full_name(),
        name="signin_attack",
        idempotency_key=f"signin-attack:{user.pk}:{started}",
        context={
            "username": user.get_username(),
            "failures": failures,
            "minutes": window // 60,
            "address": client_address(request),
            "reset_url": absolute_url(reverse("account_reset_password")),
        },
    )
    return created


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        return client_address(request)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth's per-"key" limit: the account together with the address it is tried from.
        return f"{_login_of(credentials)}|{client_address(request)}"

    def authentication_failed(self, request, **credentials) -> None:
        note_failed_sign_in(request, _login_of(credentials))

    def get_login_redirect_url(self, request) -> str:
        # Only where no `next` was given: allauth honours a safe `next` before asking here.
        if is_staff_user(request.user):
            return reverse("secretariat:dashboard")
        return reverse("portal:home")
