"""The public site follows the meeting domain's events (connected in `PublicSiteConfig.ready`):
people who subscribed to a committee hear when its papers or minutes are published."""

from __future__ import annotations

from public_site.alerts import notify_subscribers


def alert_papers_published(sender, *, meeting, link: str, **kwargs) -> None:
    notify_subscribers(committee=meeting.committee, meeting=meeting, what="papers", link=link)


def alert_minutes_published(sender, *, meeting, link: str, **kwargs) -> None:
    notify_subscribers(committee=meeting.committee, meeting=meeting, what="minutes", link=link)
