"""Reads that combine filters, joins and aggregates, one module per area of the UI."""

from portfolio.selectors.pipeline import (
    StageSummary,
    WaitingIdea,
    pipeline_summary,
    stalled_ideas,
    stalled_ideas_owned_by,
    with_days_in_stage,
)

__all__ = [
    "StageSummary",
    "WaitingIdea",
    "pipeline_summary",
    "stalled_ideas",
    "stalled_ideas_owned_by",
    "with_days_in_stage",
]
