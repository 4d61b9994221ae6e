from __future__ import annotations

from accessibility.models import AccessibilityStatement, GapReason, KnownGap


def current_statement() -> AccessibilityStatement | None:
    """The statement with its known gaps; None only if a migration has not run."""
    return AccessibilityStatement.objects.prefetch_related("gaps").filter(pk=1).first()


def gap_groups(statement: AccessibilityStatement | None) -> list[tuple[str, list[KnownGap]]]:
    """The known gaps under their reasons, in the order the model statement lists them."""
    if statement is None:
        return []
    gaps = list(statement.gaps.all())
    return [
        (reason.label, [gap for gap in gaps if gap.reason == reason])
        for reason in GapReason
        if any(gap.reason == reason for gap in gaps)
    ]
