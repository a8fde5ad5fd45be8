"""The communications page: every email of the committees a user runs, failures first, grouped
by mailing ("Dispatch, 19 Jan: 33 sent, 0 failed"), and the text of any message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Max, Min, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from committees.models import Committee
from communications.errors import CommunicationsError
from communications.mail import mailing_label
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
    mailings = _mailings(records, committees, request.GET.get("mailings_page"))
    mailing = request.GET.get("mailing", "")
    if mailing:
        records = records.filter(mailing=mailing)
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
            "mailings": mailings,
            "selected_mailing": mailing,
            "selected_mailing_label": next(
                (m["label"] for m in mailings if m["mailing"] == mailing), ""
            ),
        },
    )


def _mailings(records, committees, page_number):
    """One row per mailing, newest first, with its counts by state: one query a page."""
    State = OutboxMessage.State
    rows = (
        records.order_by()
        .values("mailing")
        .annotate(
            name=Max("message_name"),
            given_label=Max("mailing_label"),
            committee_id=Max("committee_id"),
            meeting_date=Max("meeting__date"),
            first=Min("created_at"),
            total=Count("pk"),
            sent=Count("pk", filter=Q(state=State.SENT)),
            failed=Count("pk", filter=Q(state=State.FAILED)),
            waiting=Count("pk", filter=Q(state__in=[State.QUEUED, State.SENDING])),
        )
        .order_by("-first", "mailing")
    )
    page = Paginator(rows, 20).get_page(page_number)
    names = {c.pk: c.display_short_name for c in committees}
    for row in page:
        row["label"] = mailing_label(row["name"], row["given_label"])
        row["committee"] = names.get(row["committee_id"], "")
    return page


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


@login_required
def message(request, pk: int):
    """The text of one message as it was sent, for the secretariat of its committee only (who
    are entitled to its Part 2 business); anyone else gets 404."""
    record = get_object_or_404(
        messages_visible_to(request.user).select_related("committee", "meeting"), pk=pk
    )
    return render(
        request,
        "communications/message.html",
        {"m": record, "label": mailing_label(record.message_name, record.mailing_label)},
    )
