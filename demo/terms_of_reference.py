"""Demo: the Terms of Reference text of the two ICPs, for their public ToR pages.

The text comes from the seed documents (K&M: Appendix 2 of the County Council report; M&SE: the
draft ToR), copied into demo/data/ because the seeds are not part of the repository.
Idempotent: a committee whose ToR text is already set is left alone.
"""

from __future__ import annotations

from pathlib import Path

from committees.models import Committee

DATA = Path(__file__).resolve().parent / "data"
SLUGS = ("kent-medway-icp", "mid-south-essex-icp")


def load() -> None:
    for slug in SLUGS:
        path = DATA / f"{slug}-terms-of-reference.md"
        if path.exists():
            Committee.objects.filter(slug=slug, terms_of_reference="").update(
                terms_of_reference=path.read_text(encoding="utf-8").strip()
            )
