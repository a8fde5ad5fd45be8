"""Sign-in cannot be locked by someone else (issue 16): failures are throttled per account and
address together; the address comes from X-Forwarded-For only with TRUST_PROXY; the account
holder is emailed (once per window) when their account is attacked; two-factor sign-in is
required of the Chair, Vice-Chairs and Leadership Team as of the secretariat."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from communications.models import OutboxMessage
from members.models import Office, Person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
NOON = dt.datetime(2026, 3, 10, 12, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
TOO_MANY = "Too many failed login attempts"


def attempt(client, password, **meta):
    client.cookies.clear()
    return client.post(LOGIN, {"login": "chair", "password": password}, **meta)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/my/"


def test_attacker_elsewhere_cannot_lock_the_account_holder_out(client, personas):
    with time_machine.travel(NOON, tick=False):
        for _ in range(5):
            assert not signed_in(attempt(client, "guess", REMOTE_ADDR="203.0.113.66"))
        locked = attempt(client, "guess", REMOTE_ADDR="203.0.113.66")
        assert TOO_MANY in locked.content.decode()
        # Even the right password is refused from the attacker's address...
        assert not signed_in(attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.66"))
        # ...but the Chair, from their own address, signs in.
        assert signed_in(attempt(client, PASSWORD, REMOTE_ADDR="198.51.100.7"))


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(client, personas):
    with time_machine.travel(NOON, tick=False):
        # Not trusted: a forged header does not give a fresh address to each guess.
        for n in range(5):
            attempt(client, "guess", REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"10.9.0.{n}")
        response = attempt(
            client, PASSWORD, REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="10.9.0.200"
        )
        assert TOO_MANY in response.content.decode()


@override_settings(TRUST_PROXY=True)
def test_behind_a_trusted_proxy_each_visitor_has_their_own_address(client, personas):
    proxy = {"REMOTE_ADDR": "172.18.0.2"}
    with time_machine.travel(NOON, tick=False):
        for _ in range(6):
            attempt(client, "guess", HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy)
        # The proxy appends the real address: a client cannot choose it by sending its own.
        forged = "198.51.100.7, 203.0.113.66"
        assert (
            TOO_MANY
            in attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR=forged, **proxy).content.decode()
        )
        assert signed_in(attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy))


@override_settings(SIGNIN_ALERT_FAILURES=4, SIGNIN_ALERT_WINDOW=3600)
def test_the_account_holder_is_told_once_per_window(client, personas):
    with time_machine.travel(NOON, tick=False):
        for n in range(3):
            attempt(client, "guess", REMOTE_ADDR=f"203.0.113.{n}")
        assert not OutboxMessage.objects.filter(message_name="signin_attack").exists()
        for n in range(3, 9):
            attempt(client, "guess", REMOTE_ADDR=f"203.0.113.{n}")
        sent = OutboxMessage.objects.get(message_name="signin_attack")
        assert sent.recipient == personas["chair"].email
        assert "wrong password 4 times" in sent.body_text
        assert "chair" in sent.body_text
    with time_machine.travel(NOON + dt.timedelta(hours=1), tick=False):
        for n in range(4):
            attempt(client, "guess", REMOTE_ADDR=f"192.0.2.{n}")
        assert OutboxMessage.objects.filter(message_name="signin_attack").count() == 2
    # Someone typing an unknown name gets no message sent anywhere.
    with time_machine.travel(NOON + dt.timedelta(hours=2), tick=False):
        for _ in range(5):
            client.post(LOGIN, {"login": "nobody-here", "password": "x"}, REMOTE_ADDR="192.0.2.9")
        assert OutboxMessage.objects.filter(message_name="signin_attack").count() == 2


@override_settings(MFA_REQUIRED_FOR_STAFF=True)
@pytest.mark.parametrize("kind", ["chair", "vice_chair", "leadership_team"])
def test_officers_must_set_up_two_factor(client, personas, committee, kind):
    user = personas["chair"] if kind == "chair" else personas["participant"]
    if kind != "chair":
        Office.objects.create(
            committee=committee,
            person=Person.objects.get(user=user),
            kind=kind,
            start=dt.date(2024, 1, 1),
        )
    client.force_login(user)
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    client.force_login(personas["member"])
    assert client.get("/my/").status_code == 200
