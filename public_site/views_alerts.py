"""Public email alerts: subscribe to a committee, confirm (double opt-in), unsubscribe.

Pages that change state do so on POST. The unsubscribe POST needs no CSRF token: the signed
token in the URL is the authority, and mail clients send RFC 8058 one-click POSTs without one.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt

from committees.models import Committee
from public_site import alerts
from public_site.errors import AlertError
from public_site.forms import SubscribeForm


def subscribe(request, slug: str):
    committee = get_object_or_404(Committee, slug=slug, is_active=True)
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        alerts.request_subscription(email=form.cleaned_data["email"], committee=committee)
        return render(
            request,
            "public/alerts_check_email.html",
            {"committee": committee, "email": form.cleaned_data["email"]},
        )
    return render(request, "public/alerts_subscribe.html", {"committee": committee, "form": form})


def confirm(request, token: str):
    problem = sub = None
    if request.method == "POST":
        try:
            sub = alerts.confirm_subscription(token=token)
        except AlertError as exc:
            problem = str(exc)
    return render(
        request,
        "public/alerts_confirm.html",
        {"token": token, "subscription": sub, "problem": problem, "done": sub is not None},
    )


@csrf_exempt
def unsubscribe(request, token: str):
    try:
        sub = alerts.subscription_for_unsubscribe(token)
    except AlertError as exc:
        return render(request, "public/alerts_unsubscribe.html", {"problem": str(exc)}, status=404)
    done = False
    if request.method == "POST":
        sub = alerts.unsubscribe(token=token)
        done = True
    return render(
        request,
        "public/alerts_unsubscribe.html",
        {"subscription": sub, "token": token, "done": done or sub.unsubscribed_at is not None},
    )
