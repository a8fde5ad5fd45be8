"""A member's personal calendar feed (a secret, revocable URL) and notification preferences.

The feed lists the meetings of the person's committees with date, time, place and a link to
the members' meeting page; never an agenda line, so no Part 2 title can reach a calendar app.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from communications.models import CalendarToken, NotificationPreferences, _calendar_token
from meetings.links import absolute, member_meeting_url
from meetings.models import Meeting
from meetings.scheduling.ical import PAST_DAYS, calendar_response
from members.selectors import standing
from portal.forms import PreferencesForm


def committees_of(user) -> frozenset[int]:
    """The committees whose meetings go in the person's feed: every one they are on, in any
    capacity (a superuser's feed holds only the committees they are on, like anyone's)."""
    return standing(user).committee_ids


def personal_feed(request, token: str):
    row = CalendarToken.objects.select_related("user").filter(token=token).first()
    if row is None or not row.user.is_active:
        raise Http404("No such calendar")
    since = timezone.localdate() - dt.timedelta(days=PAST_DAYS)
    meetings = (
        Meeting.objects.filter(
            committee_id__in=committees_of(row.user), committee__is_active=True, date__gte=since
        )
        .select_related("committee")
        .order_by("date", "start_time")
    )
    response = calendar_response("My ICP meetings", meetings, url_for=member_meeting_url)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def calendar(request):
    row = CalendarToken.objects.filter(user=request.user).first()
    url = absolute(reverse("feeds:personal_ics", args=[row.token])) if row else ""
    return render(request, "portal/calendar.html", {"feed_url": url})


@login_required
@require_POST
def regenerate(request):
    """Make a new secret address; the old one stops working at once."""
    CalendarToken.objects.update_or_create(user=request.user, defaults={"token": _calendar_token()})
    messages.success(
        request, "Your calendar address is ready. Any address you used before no longer works."
    )
    return redirect("portal:calendar")


@login_required
@require_POST
def revoke(request):
    CalendarToken.objects.filter(user=request.user).delete()
    messages.success(request, "Your calendar address is switched off.")
    return redirect("portal:calendar")


@login_required
def notifications(request):
    prefs = NotificationPreferences.objects.filter(user=request.user).first()
    prefs = prefs or NotificationPreferences(user=request.user)
    form = PreferencesForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your preferences are saved.")
        return redirect("portal:notifications")
    return render(request, "portal/notifications.html", {"form": form})
