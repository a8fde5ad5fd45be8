"""Sign-in with django-allauth: the product's GOV.UK pages, TOTP two-factor, and the rule that
makes two-factor compulsory for staff when MFA_REQUIRED_FOR_STAFF is on."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import override_settings
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@contextmanager
def clock_stopped():
    """Hold the clock still while a test computes a code and posts it: on a busy machine the
    post otherwise lands in the next 30-second step, and the server rightly refuses the code."""
    with time_machine.travel(time.time(), tick=False):
        yield


def sign_in(client, username: str):
    return client.post(reverse("account_login"), {"login": username, "password": PASSWORD})


def test_login_page_uses_the_product_layout_and_gds_styling(client):
    body = client.get(reverse("account_login")).content.decode()
    assert '<html lang="en" class="govuk-template">' in body
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in body
    assert 'class="govuk-input' in body and 'class="govuk-button"' in body
    assert "sign up" not in body.lower()  # accounts are created by the secretariat


def test_wrong_password_shows_an_error_summary(client, personas):
    response = client.post(reverse("account_login"), {"login": "member", "password": "nope"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "<title>Error: Sign in" in body


def test_user_without_totp_signs_in_with_a_password(client, personas):
    response = sign_in(client, "member")
    assert response.status_code == 302 and response["Location"] == "/my/"


def test_user_with_totp_must_enter_a_valid_code(client, personas):
    secret = generate_totp_secret()
    TOTP.activate(personas["member"], secret)

    response = sign_in(client, "member")
    assert response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet: the dashboard sends them back to sign in.
    assert client.get("/dashboard/").status_code == 302
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert 'class="govuk-heading-l"' in page and 'class="govuk-input' in page

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()

    with clock_stopped():
        response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/my/"
    assert client.get("/dashboard/").status_code == 200


def test_signed_in_users_reach_two_factor_settings(client, personas):
    sign_in(client, "member")
    response = client.get("/accounts/2fa/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-summary-card" in body and reverse("mfa_activate_totp") in body


def test_the_header_offers_the_dashboard_only_to_those_who_have_one(client, personas):
    # A member's header linked to a dashboard that said only "You are not on the secretariat
    # of any committee", the one place the two-factor and password links were.
    dashboard = f'href="{reverse("secretariat:dashboard")}"'
    for persona in ("member", "observer", "outsider"):
        sign_in(client, persona)
        home = client.get(reverse("portal:home")).content.decode()
        header = home.split("</header>")[0]
        assert dashboard not in header, persona
        assert f'href="{reverse("portal:home")}"' in header
        assert f'href="{reverse("mfa_index")}"' in home, persona
        assert f'href="{reverse("account_change_password")}"' in home, persona
        client.logout()
    for persona in ("secretariat", "admin"):
        sign_in(client, persona)
        header = client.get(reverse("portal:home")).content.decode().split("</header>")[0]
        assert dashboard in header, persona
        client.logout()
    # Nobody signed in: no header links but "Sign in".
    header = client.get("/").content.decode().split("</header>")[0]
    assert dashboard not in header and reverse("account_login") in header


@override_settings(MFA_REQUIRED_FOR_STAFF=True)
def test_secretariat_without_totp_is_sent_to_set_it_up_then_gets_in(client, personas):
    sign_in(client, "secretariat")
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")

    # allauth asks for the password again before a change to two-factor settings.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    reauth = client.get(response["Location"]).content.decode()
    assert 'class="govuk-template"' in reauth and 'class="govuk-input' in reauth
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Set up an authenticator app" in body and "data:image/svg+xml;base64," in body
    secret = page.context["form"].secret
    with clock_stopped():
        response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=personas["secretariat"], type="totp").exists()
    assert client.get("/dashboard/").status_code == 200


@override_settings(MFA_REQUIRED_FOR_STAFF=True)
def test_members_are_not_forced_to_set_up_totp(client, personas):
    sign_in(client, "member")
    assert client.get("/dashboard/").status_code == 200


def test_logout_and_password_reset_pages_use_the_product_layout(client, personas):
    body = client.get(reverse("account_reset_password")).content.decode()
    assert 'class="govuk-template"' in body and 'class="govuk-heading-l"' in body
    assert 'class="govuk-input' in body
    sign_in(client, "member")
    body = client.get(reverse("account_logout")).content.decode()
    assert 'class="govuk-template"' in body and 'class="govuk-button"' in body
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_password_reset_sends_an_email(client, personas, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "member@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    body = client.get(response["Location"]).content.decode()
    assert 'class="govuk-heading-l"' in body
