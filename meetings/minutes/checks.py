"""Check before you send (issue 13) for circulating and publishing minutes: who receives what
and what becomes public, on the same page as the notice and the dispatch
(meetings.scheduling.checks)."""

from __future__ import annotations

from committees.models import RuleTopic
from meetings.minutes.rules import Partner, partner_plan
from meetings.models import Meeting, Minutes, MinutesPresentation, Part
from meetings.scheduling.checks import CheckSummary, Group, groups_by_role
from meetings.scheduling.selectors import meeting_recipients


def _has_part2(minutes: Minutes) -> bool:
    return bool(minutes.sections_for(Part.PRIVATE))


def circulate_check(meeting: Meeting, minutes: Minutes) -> CheckSummary:
    addressees = meeting_recipients(meeting)
    summary = CheckSummary(
        title="Circulate the draft minutes",
        what=f"The draft minutes (version {minutes.version}) for comment, as a link to the "
        "members' minutes page.",
        groups=groups_by_role(meeting, addressees),
        attachments=["A link to the draft minutes (nothing attached)"],
        part2=(
            "The draft has Part 2 sections: they are read on the members' page only by those "
            "entitled; the email carries no Part 2 text."
            if _has_part2(minutes)
            else "No Part 2 sections."
        ),
        public=["Nothing becomes public: draft minutes are for members only."],
        confirm_label="Circulate to members",
    )
    if not minutes.is_draft:
        summary.problem = "Only draft minutes are circulated for comment."
    elif not addressees:
        summary.problem = "No current Member or Participant has an email address."
    return summary


def publish_check(meeting: Meeting, minutes: Minutes) -> CheckSummary:
    committee = meeting.committee
    rules = committee.rules
    organisations = list(committee.statutory_partners.order_by("name"))
    sent = MinutesPresentation.objects.filter(
        minutes=minutes, status=MinutesPresentation.Status.SENT
    ).values_list("organisation_id", flat=True)
    plans = partner_plan(
        partners=[
            Partner(o.pk, o.name, o.governance_contact_name, o.governance_contact_email)
            for o in organisations
        ],
        rule_on=rules.minutes_to_partners,
        meeting_is_public=meeting.is_public,
        already_sent=list(sent),
        citation=rules.cite(RuleTopic.MINUTES),
    )
    partners = [
        f"{p.partner.name}: {p.partner.contact_name} <{p.partner.contact_email}>"
        for p in plans
        if p.send
    ]
    warnings = [p.warning for p in plans if not p.send and p.warning]
    public = (
        ["The Part 1 minutes on the public meeting page, with their PDF."]
        if meeting.is_public
        else ["Nothing: the meeting was held wholly in private."]
    )
    public.append("People subscribed to the committee's alerts are told.")
    summary = CheckSummary(
        title="Publish the minutes",
        what=f"The approved minutes (version {minutes.version}). Published minutes are never "
        "overwritten: a correction is a new version.",
        groups=[Group("Statutory partners (Part 1 minutes)", partners)] if partners else [],
        attachments=["The Part 1 minutes in the partners' email; a link to the minutes page"],
        part2=(
            "The Part 2 minutes are published to Members and Participants only, never to the "
            "public or the partners."
            if _has_part2(minutes)
            else "No Part 2 sections."
        ),
        public=public,
        notes=warnings,
        confirm_label="Publish",
    )
    if minutes.state != Minutes.State.APPROVED:
        summary.problem = "Only approved minutes are published."
    return summary
