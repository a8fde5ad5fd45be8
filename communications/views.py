"""The communications page: every email of the committees a user runs, failures first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from committees.models import Committee
from communications.errors import CommunicationsError
from communications.models import OutboxMessage
from communications.services import retry_message
from icp_secretariat.lib.redirects import safe_next


def committees_of(user):
    if user.is_superuser:
        return Committee.objects.all()
    return user.secretariat_of.all()


def messages_visible_to(user):
    """Outbox records a user may see: those of the committees they are secretariat of."""
    if user.is_superuser:
        return OutboxMessage.objects.all()
    return OutboxMessage.objects.filter(committee__in=user.secretariat_of.all())


@login_required
def outbox(request):
    committees = list(committees_of(request.user).order_by("name"))
    if not committees:
        raise Http404("No committees")
    records = messages_visible_to(request.user).select_related("committee", "meeting")
    committee = request.GET.get("committee", "")
    state = request.GET.get("state", "")
    if committee:
        records = records.filter(committee__slug=committee)
    if state in OutboxMessage.State.values:
        records = records.filter(state=state)
    counts = dict(records.order_by().values_list("state").annotate(n=Count("pk")))
    failed = list(records.filter(state=OutboxMessage.State.FAILED).order_by("-created_at")[:50])
    records = records.annotate(
        failed_first=Case(
            When(state=OutboxMessage.State.FAILED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("failed_first", "-created_at", "-pk")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "communications/outbox.html",
        {
            "committees": committees,
            "page_obj": page,
            "failed": failed,
            "counts": counts,
            "states": OutboxMessage.State.choices,
            "selected_committee": committee,
            "selected_state": state,
        },
    )


@login_required
@require_POST
def retry(request, pk: int):
    message = get_object_or_404(messages_visible_to(request.user), pk=pk)
    try:
        retry_message(message=message, by=request.user)
    except CommunicationsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The message to {message.recipient} is queued to send again.")
    return redirect(safe_next(request, "communications:outbox"))
