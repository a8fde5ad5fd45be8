"""Email alerts: anyone may subscribe to a committee (double opt-in) and hear when a meeting's
papers or minutes are published; every alert carries a one-click unsubscribe link and the
List-Unsubscribe / List-Unsubscribe-Post headers (RFC 8058).

Tokens are signed ids (django.core.signing): the confirmation link expires, the unsubscribe link
does not. Signed-in members who chose publication alerts in their preferences hear too.
"""

from __future__ import annotations

import time

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from communications.mail import queue_message
from communications.models import NotificationPreferences, Subscription
from meetings.links import absolute
from members.models import Membership
from public_site.errors import AlertError

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600
WHAT = {"papers": "the agenda and papers", "minutes": "the minutes", "decisions": "decisions"}


def confirm_token(subscription: Subscription) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscription.pk))


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscription.pk))


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse("public:alerts_unsubscribe", args=[unsubscribe_token(subscription)]))


@transaction.atomic
def request_subscription(*, email: str, committee) -> Subscription:
    """Record the request and send the confirmation email (again, at most every 10 minutes).

    Says nothing different for an address already subscribed, so the form does not reveal who is.
    """
    email = email.strip().lower()
    sub, _ = Subscription.objects.get_or_create(email=email, committee=committee)
    if sub.is_active:
        return sub
    window = int(time.time() // 600)
    link = absolute(reverse("public:alerts_confirm", args=[confirm_token(sub)]))
    queue_message(
        recipient=email,
        name="alert_confirm",
        context={"link": link, "committee_name": committee.name},
        idempotency_key=f"alert-confirm:{sub.pk}:{window}",
        committee=committee,
    )
    return sub


@transaction.atomic
def confirm_subscription(*, token: str) -> Subscription:
    try:
        pk = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise AlertError(
            "This confirmation link has expired. Subscribe again to get a new one."
        ) from exc
    except signing.BadSignature as exc:
        raise AlertError(
            "This confirmation link is not valid. Copy the whole link from the email, or "
            "subscribe again."
        ) from exc
    sub = Subscription.objects.select_for_update().filter(pk=pk).first()
    if sub is None:
        raise AlertError("This subscription no longer exists. Subscribe again.")
    sub.confirmed_at = timezone.now()
    sub.unsubscribed_at = None
    sub.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return sub


def subscription_for_unsubscribe(token: str) -> Subscription:
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as exc:
        raise AlertError(
            "This unsubscribe link is not valid. Copy the whole link from the email."
        ) from exc
    sub = Subscription.objects.select_related("committee").filter(pk=pk).first()
    if sub is None:
        raise AlertError("This subscription no longer exists: you will get no more alerts.")
    return sub


@transaction.atomic
def unsubscribe(*, token: str) -> Subscription:
    sub = subscription_for_unsubscribe(token)
    if sub.unsubscribed_at is None:
        sub.unsubscribed_at = timezone.now()
        sub.save(update_fields=["unsubscribed_at"])
    return sub


def notify_subscribers(*, committee, meeting, what: str, link: str) -> int:
    """Queue an alert that `what` ("papers", "minutes", ...) of `meeting` is published.

    Only for a public meeting: what a wholly private meeting publishes is not public. Each
    recipient gets one alert per meeting and `what`, however often this is called. Returns the
    number of alerts queued now.
    """
    if not meeting.is_public:
        return 0
    context = {
        "committee_name": committee.name,
        "what": WHAT.get(what, what),
        "link": link,
        "date_text": f"{meeting.date:%A %-d %B %Y}",
    }
    queued = 0
    emails: set[str] = set()
    for sub in Subscription.objects.filter(
        committee=committee, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ):
        url = unsubscribe_url(sub)
        emails.add(sub.email.lower())
        _, created = queue_message(
            recipient=sub.email,
            name="alert_published",
            context={**context, "unsubscribe_url": url},
            idempotency_key=f"alert:{what}:{meeting.pk}:sub{sub.pk}",
            committee=committee,
            meeting=meeting,
            headers={
                "List-Unsubscribe": f"<{url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        queued += created
    # Members who asked for publication alerts in their preferences.
    wanted = NotificationPreferences.objects.filter(publication_alerts=True).values("user_id")
    prefs_url = absolute(reverse("portal:notifications"))
    for m in (
        Membership.objects.current()
        .filter(committee=committee, person__user_id__in=wanted)
        .select_related("person__user")
    ):
        user = m.person.user
        email = (m.person.email or user.email or "").lower()
        if not email or email in emails:
            continue
        emails.add(email)
        _, created = queue_message(
            recipient=email,
            recipient_name=m.person.full_name,
            name="alert_published",
            context={**context, "unsubscribe_url": prefs_url, "member": True},
            idempotency_key=f"alert:{what}:{meeting.pk}:user{user.pk}",
            committee=committee,
            meeting=meeting,
            headers={"List-Unsubscribe": f"<{prefs_url}>"},
        )
        queued += created
    return queued
