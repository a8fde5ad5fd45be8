"""Public pages: no sign-in needed."""

from django.shortcuts import get_object_or_404, render

from committees.models import Committee


def home(request):
    committees = Committee.objects.filter(is_active=True, parent__isnull=True).prefetch_related(
        "subcommittees"
    )
    return render(request, "public/home.html", {"committees": committees})


def accessibility(request):
    return render(request, "public/accessibility.html")


def committee(request, slug: str):
    committee = get_object_or_404(Committee, slug=slug, is_active=True)
    return render(request, "public/committee.html", {"committee": committee})
