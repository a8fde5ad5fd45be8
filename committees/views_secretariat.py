"""Secretariat screens."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def dashboard(request):
    committees = request.user.secretariat_of.all()
    return render(request, "secretariat/dashboard.html", {"committees": committees})
