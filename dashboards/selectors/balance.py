"""Portfolio balance: ideas, € requested and € granted per theme × region."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Cast

from core.models import MONEY
from dashboards import summaries
from dashboards.filters import Period
from dashboards.selectors import DashboardData
from funding.selectors import NO_REGION
from portfolio.models import Region, Theme

# "change": the ideas count against the previous period's (only with a period chosen).
METRICS = ("ideas", "requested", "granted", "change")
CHANGE = "change"
ZERO = Decimal("0")
Numbers = dict[str, int | Decimal]


@dataclass
class Balance:
    themes: list[Theme]
    regions: list[Region]
    # (theme id, region id) → numbers; a pair with no numbers is a gap.
    cells: dict[tuple[int, int], Numbers] = field(default_factory=dict)
    # Totals count each idea and application once, however many themes or regions it has.
    theme_totals: dict[int, Numbers] = field(default_factory=dict)
    region_totals: dict[int, Numbers] = field(default_factory=dict)
    total: Numbers = field(default_factory=dict)
    period: Period | None = None
    # The previous period's balance, given when a period is chosen: the change metric.
    previous: Balance | None = None

    def value(self, theme: Theme, region: Region, metric: str) -> int | Decimal:
        return self.cells.get((theme.pk, region.pk), {}).get(metric, 0)

    def change(self, theme: Theme | None, region: Region | None) -> int | None:
        """Ideas created in the period less those created in the previous one, in a cell
        (or a theme's or region's total, or the whole with neither); None without a
        previous period."""
        if self.previous is None:
            return None

        def ideas(balance: Balance) -> int:
            if theme is not None and region is not None:
                numbers = balance.cells.get((theme.pk, region.pk), {})
            elif theme is not None:
                numbers = balance.theme_totals.get(theme.pk, {})
            elif region is not None:
                numbers = balance.region_totals.get(region.pk, {})
            else:
                numbers = balance.total
            return numbers.get("ideas", 0)

        return ideas(self) - ideas(self.previous)


NONE = Value(None, output_field=IntegerField())
# The four groupings, as (theme, region) key expressions: cells, theme totals, region
# totals, and the whole. One UNION ALL query reads them all, for ideas and for money.
GROUPINGS = (("themes", "regions"), ("themes", None), (None, "regions"), (None, None))


def _grouped(rows: QuerySet, prefix: str, **numbers) -> list[QuerySet]:
    # Each part carries its grouping's number: an idea without a region has a NULL region
    # in the cells too, so (theme, NULL) alone would not tell a cell from a theme total.
    parts = [
        rows.annotate(
            g=Value(index, output_field=IntegerField()),
            t=F(f"{prefix}{theme}") if theme else NONE,
            r=F(f"{prefix}{region}") if region else NONE,
        )
        .values("g", "t", "r")
        .annotate(**numbers)
        .order_by()
        for index, (theme, region) in enumerate(GROUPINGS)
    ]
    return parts


def balance(data: DashboardData) -> Balance:
    """Per theme × region of the filtered ideas: ideas created in the period (an idea counts
    in each of its regions), € requested in applications submitted in it and € granted in
    approvals decided in it, shared out among the regions by the one rule
    (``funding.selectors.region_splits``); with totals that count each idea and application
    once. One query, beside the money the page reads once (``DashboardData.money_cells``)."""
    # With a region filter only the chosen regions are drawn, and the gaps are among them.
    result = Balance(themes=data.themes, regions=data.shown_regions, period=data.period)
    found: dict[tuple, Numbers] = _shared_money(data)
    for key, count in _idea_counts(data):
        found.setdefault(key, _empty())["ideas"] = count
    cells, themes, regions, whole = range(len(GROUPINGS))
    for (grouping, theme, region), numbers in found.items():
        if grouping == cells and theme and region:
            result.cells[(theme, region)] = numbers
        elif grouping == themes and theme:
            result.theme_totals[theme] = numbers
        elif grouping == regions and region:
            result.region_totals[region] = numbers
        elif grouping == whole:
            result.total = numbers
    result.total = result.total or _empty()
    return result


def _idea_counts(data: DashboardData) -> Iterator[tuple[tuple, int]]:
    """The ideas created in the period per (grouping, theme, region), from the summary
    tables when they answer the filters, else from the ideas (one UNION ALL query)."""
    if data.summarised:
        rows = (
            summaries.idea_counts(data.period.start, data.period.end, data.summary_stages)
            .values("theme", "region")
            .annotate(n=Sum("ideas"))
        )
        for row in rows:
            theme, region = row["theme"] or None, row["region"] or None
            grouping = GROUPINGS.index(("themes" if theme else None, "regions" if region else None))
            yield (grouping, theme, region), row["n"]
        return
    money_field = DecimalField(**MONEY)
    ideas = _grouped(
        data.ideas_in_period.order_by(),
        "",
        ideas=Count("pk"),
        # Typed: PostgreSQL reads an untyped NULL in a UNION's first part as text.
        requested=Cast(Value(None), money_field),
        granted=Cast(Value(None), money_field),
    )
    for row in ideas[0].union(*ideas[1:], all=True).order_by():
        yield (row["g"], row["t"], row["r"]), row["ideas"]


def _shared_money(data: DashboardData) -> dict[tuple, Numbers]:
    """The € requested and granted in the period, shared out among regions, keyed as the
    grouped query's rows are: (grouping, theme, region)."""
    found = {}
    for (theme, region), (requested, granted) in data.money_cells.items():
        if region is NO_REGION:  # a total's part, never a cell or a region of its own
            continue
        theme, region = theme or None, region or None
        grouping = GROUPINGS.index(("themes" if theme else None, "regions" if region else None))
        found[(grouping, theme, region)] = {
            "ideas": 0,
            "requested": Decimal(requested).scaleb(-2),
            "granted": Decimal(granted).scaleb(-2),
        }
    return found


def _empty() -> Numbers:
    return {"ideas": 0, "requested": ZERO, "granted": ZERO}
