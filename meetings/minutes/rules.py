"""Pure rules of reporting after a meeting: what a summary of key messages starts from (M&SE,
Accountability and Reporting) and which statutory partners are sent the minutes (K&M ToR 12.4).

Plain values in, plain values out; citations come in as strings (`CommitteeRules.cite`), so no
committee's paragraph numbers are written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

PUBLIC_PART = 1


@dataclass(frozen=True)
class RecordItem:
    """One agenda item of the record, with its decisions' text, as the draft may use it."""

    number: int
    title: str
    part: int
    decisions: Sequence[tuple[int, str]] = field(default_factory=tuple)  # (part, text)
    standard: bool = False  # apologies, declarations, minutes of the last meeting...


def key_messages_draft(
    *, committee_name: str, date_text: str, meeting_is_public: bool, items: Iterable[RecordItem]
) -> str:
    """The first draft of a meeting's key messages, from its Part 1 business only.

    A Part 2 item, a Part 2 decision, and everything of a meeting held wholly in private are left
    out: the summary is published, and the secretariat edits the draft before approving it.
    """
    lines = [f"Key messages from the meeting of the {committee_name} on {date_text}."]
    if not meeting_is_public:
        lines.append("The meeting was held in private: write the key messages that may be shared.")
        return "\n\n".join(lines)
    bullets = []
    for item in items:
        if item.part != PUBLIC_PART or item.standard:
            continue
        decided = [text.strip() for part, text in item.decisions if part == PUBLIC_PART]
        if decided:
            bullets.append(f"- {item.title}: " + " ".join(decided))
        else:
            bullets.append(f"- {item.title}: discussed.")
    if bullets:
        lines.append("\n".join(bullets))
    else:
        lines.append("No public business was recorded.")
    return "\n\n".join(lines)


def key_messages_allowed(*, required: bool, citation: str) -> str | None:
    """Why key messages cannot be drafted for this committee, or None when they can."""
    if required:
        return None
    return (
        "This committee's rules do not ask for a summary of key messages after each meeting "
        f"({citation}). Turn the rule on in the committee's rules if the Terms of Reference say so."
    )


@dataclass(frozen=True)
class Partner:
    """A statutory partner as the sending rule sees it."""

    id: int
    name: str
    contact_name: str = ""
    contact_email: str = ""


@dataclass(frozen=True)
class PartnerPlan:
    """What happens for one partner: send to its governance contact, or warn why not."""

    partner: Partner
    send: bool
    warning: str = ""


def partner_plan(
    *,
    partners: Iterable[Partner],
    rule_on: bool,
    meeting_is_public: bool,
    already_sent: Iterable[int] = (),
    citation: str,
) -> list[PartnerPlan]:
    """Which statutory partners receive the Part 1 minutes of a meeting, and a warning for each
    that cannot. Nothing is sent where the rule is off, nor for a meeting held wholly in private
    (its record is confidential: K&M 13.1); a partner already sent this version is not sent again.
    """
    if not rule_on or not meeting_is_public:
        return []
    done = set(already_sent)
    plans = []
    for p in partners:
        if p.id in done:
            continue
        if p.contact_email.strip():
            plans.append(PartnerPlan(p, True))
        else:
            plans.append(
                PartnerPlan(
                    p,
                    False,
                    f"{p.name} has no governance contact, so the minutes were not sent to it "
                    f"({citation}). Add a contact on the organisation's page, then send again.",
                )
            )
    return plans
