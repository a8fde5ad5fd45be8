"""Public pages: no sign-in needed."""

from django.shortcuts import render

from committees.selectors import public_committee_page, public_committees


def home(request):
    return render(request, "public/home.html", {"committees": public_committees()})


def accessibility(request):
    return render(request, "public/accessibility.html")


def committee(request, slug: str):
    page = public_committee_page(slug)
    return render(request, "public/committee.html", {"page": page, "committee": page.committee})
