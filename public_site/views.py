"""Public pages: no sign-in needed."""

from django.shortcuts import render
from django.utils import timezone

from icp_secretariat.lib.public_cache import public_page
from meetings.models import Meeting
from public_site.retention import retention_rule
from public_site.selectors import public_committee_page, public_committees


@public_page
def home(request):
    return render(request, "public/home.html", {"committees": public_committees()})


@public_page
def accessibility(request):
    return render(request, "public/accessibility.html")


@public_page
def committee(request, slug: str):
    page = public_committee_page(slug)
    today = timezone.localdate()
    upcoming = list(
        Meeting.objects.filter(committee=page.committee, date__gte=today).order_by(
            "date", "start_time"
        )[:3]
    )
    archive = sorted(
        {
            d.year
            for d in Meeting.objects.filter(committee=page.committee, date__lt=today).dates(
                "date", "year"
            )
        },
        reverse=True,
    )
    return render(
        request,
        "public/committee.html",
        {
            "page": page,
            "committee": page.committee,
            "upcoming": upcoming,
            "archive": archive,
            "rule": retention_rule(page.committee),
        },
    )


@public_page
def record_policy(request, slug: str):
    """How long the committee's public record stays available, and when personal data goes."""
    page = public_committee_page(slug)
    return render(
        request,
        "public/record_policy.html",
        {"committee": page.committee, "rule": retention_rule(page.committee)},
    )
