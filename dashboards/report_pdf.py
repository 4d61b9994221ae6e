"""The quarterly report's PDF board pack: the workbook's Summary on paper.

Page 1 is the board summary — the key figures with their comparison, the targets against
the plan and the project manager's narrative — then four charts (portfolio balance, funnel,
funding by instrument, leverage over time) and the Summary's tables. The per-idea lists
stay in the workbook, so the pack is a few pages however large the portfolio.

The figures are the workbook's own (``ReportData``, read once for both); the charts draw
the dashboards' chart data for the period (``dashboards.report_charts``). WeasyPrint lays
the HTML template out on A4 with CSS paged media, with no browser. It needs Pango, a
system library: without it the PDF is not made, and ``PdfUnavailable`` says what to
install.
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import ModuleType
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override, pgettext

from core.formatting import euros_text, percent_text, whole_text
from core.spreadsheets import RATIO_FORMAT
from dashboards import report_charts
from dashboards.comparison import COUNT, MONEY, RATIO, Change, rounded, value_text
from dashboards.filters import Period
from dashboards.reports import (
    COUNT_FORMAT,
    EUROS_FORMAT,
    ReportData,
    ReportSpec,
    instrument_tables,
    leverage_definition,
    report_title,
    span,
    summary_lines,
)
from dashboards.selectors import DashboardData
from dashboards.selectors.balance import balance
from dashboards.selectors.funding import funding
from dashboards.selectors.funnel import PATH
from dashboards.selectors.leverage import leverage
from portfolio.models import Idea
from portfolio.selectors import drops as drop_words
from portfolio.selectors.outcomes import ALL, window_text
from portfolio.stages import Stage

# The Debian packages WeasyPrint needs beyond Python: Pango (with its FreeType backend) to
# lay text out, HarfBuzz's subsetter to embed only the letters used, and the pack's font.
SYSTEM_PACKAGES = (
    "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"
)

# The time the embedded font subsets say they were made (1.1.2022, the network's start).
FONT_EPOCH = "1640995200"

# The kind of number each of the workbook's number formats shows.
KINDS = {COUNT_FORMAT: COUNT, EUROS_FORMAT: MONEY, RATIO_FORMAT: RATIO}


def key_figure_lines() -> list[tuple[str, str, str]]:
    """The Summary's key figures as the workbook has them: (label, Figures attribute,
    kind), in the active language."""
    return [(label, name, KINDS[number_format]) for label, name, number_format in summary_lines()]


def instrument_lines() -> list[tuple[str, str, str]]:
    """The Summary's tables by instrument as the workbook has them."""
    return [
        (title, name, KINDS[number_format])
        for title, name, number_format in instrument_tables()
    ]


# The Summary's columns by their name on ``Columns``; the comparison follows the period
# against each of COMPARED that the Summary has.
COLUMN_LABELS = {
    "period": gettext_lazy("Period"),
    "previous": gettext_lazy("Previous period"),
    "year_earlier": gettext_lazy("Same period a year earlier"),
    "year_to_date": gettext_lazy("Year to date"),
    "since_start": gettext_lazy("Since the network started"),
}
COMPARED = ("previous", "year_earlier")


class PdfUnavailable(Exception):
    """The PDF cannot be made on this server; the message says why and what to install."""


def _import_weasyprint() -> ModuleType:
    # Imported only when a PDF is made: the import loads Pango, which a server may lack,
    # and the rest of the app (the workbook too) works without it.
    import weasyprint

    return weasyprint


def _weasyprint() -> ModuleType:
    try:
        return _import_weasyprint()
    except OSError as exc:
        # cffi names the library it could not open: "cannot load library 'libpango-1.0-0'".
        found = re.search(r"library '([^']+)'", str(exc))
        library = found.group(1) if found else "Pango"
        raise PdfUnavailable(
            _("The PDF could not be made: the server lacks %(library)s; ask the administrator "
              "to install %(packages)s. The workbook was made and stored.")
            % {"library": library, "packages": ", ".join(SYSTEM_PACKAGES)}
        ) from exc


def pdf_problem() -> str | None:
    """Why this server cannot make PDFs, in the active language; None when it can."""
    try:
        _weasyprint()
    except PdfUnavailable as exc:
        return str(exc)
    return None


# --- the context -----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    change: str = ""  # "up", "down", "same" for a change cell; "" for a figure


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]
    strong: bool = False


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[Row]
    empty: str = ""


@dataclass(frozen=True)
class Chart:
    title: str
    src: str  # a data: URI of the SVG
    note: str = ""


def _count(value: float) -> str:
    return whole_text(value)


def _euros(value: float) -> str:
    return euros_text(Decimal(str(value)))


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _column_names(columns: Any) -> list[str]:
    """The Summary's columns by name, in the order of ``columns.all``."""
    names = [name for name in COLUMN_LABELS if hasattr(columns, name)]
    if len(names) != len(columns.all):  # a Summary of other columns: say them by their dates
        return [f"column{index}" for index in range(len(columns.all))]
    return names


def key_figures(data: ReportData) -> Table:
    """The Summary's figures per column, each compared period followed by the change from
    it to the period (▲/▼ and the difference)."""
    summary = data.summary
    names = _column_names(summary.columns)
    periods = dict(zip(names, summary.columns.all, strict=True))
    headers: list[str] = []
    for name in names:
        label = str(COLUMN_LABELS.get(name, ""))
        headers.append(f"{label}\n{span(periods[name])}".strip())
        if name in COMPARED:
            headers.append(_("Change"))
    rows = []
    for label, attribute, kind in key_figure_lines():
        values = {
            name: rounded(getattr(numbers, attribute), kind)
            for name, numbers in zip(names, summary.figures, strict=True)
        }
        cells = []
        for name in names:
            cells.append(Cell(value_text(values[name], kind)))
            if name in COMPARED:
                change = Change(values[name], values["period"], kind)
                cells.append(Cell(change.text, change.direction or "none"))
        rows.append(Row(str(label), cells))
    return Table(_("Key figures"), [_("Figure"), *headers], rows)


def summary_tables(data: ReportData) -> list[Table]:
    """The Summary's tables: the five by instrument, the stages, the drops and the funnel."""
    summary = data.summary
    names = _column_names(summary.columns)
    column_headers = [
        f"{COLUMN_LABELS.get(name, '')}\n{span(period)}".strip()
        for name, period in zip(names, summary.columns.all, strict=True)
    ]
    tables = []
    for title, attribute, kind in instrument_lines():
        rows = [
            Row(instrument.name,
                [Cell(value_text(rounded(getattr(numbers, attribute), kind), kind))
                 for numbers in per_column])
            for instrument, per_column in summary.instruments
        ]
        tables.append(Table(str(title), [_("Instrument"), *column_headers], rows,
                            _("No applications were submitted or decided.")))
    stage_rows = [
        Row(str(drop_words.DROPPED_NOW if stage == Stage.DROPPED else stage.label),
            [Cell(_count(summary.stages[stage]))])
        for stage in Stage
    ]
    stage_rows.append(
        Row(_("All ideas at the end of the period"), [Cell(_count(summary.ideas_at_end))],
            strong=True)
    )
    tables.append(Table(_("Stage at the end of the period"), ["", _("Ideas")], stage_rows))
    drops = summary.drops
    drop_rows = [Row(reason, [Cell(_count(count))]) for reason, count in drops.reason_rows()]
    drop_rows += [
        Row(str(label), [Cell(_count(count))], strong=True)
        for label, count in (
            (drop_words.EVER_DROPPED, drops.ever),
            (drop_words.DROPPED_NOW, drops.now),
            (drop_words.REVIVED, drops.revived),
        )
    ]
    tables.append(Table(_("Why dropped (each idea's latest reason)"), ["", _("Ideas")],
                        drop_rows))
    if summary.funnel is not None:
        funnel = summary.funnel
        funnel_rows = [
            Row(_("Reached: %(stage)s") % {"stage": stage.label},
                [Cell(_count(funnel.reached.get(stage, 0)))])
            for stage in PATH
        ]
        funnel_rows += [
            Row(str(label), [Cell(_count(count))])
            for label, count in (
                (drop_words.DROPPED_NOW, funnel.drops.now),
                (drop_words.EVER_DROPPED, funnel.drops.ever),
                (drop_words.REVIVED, funnel.drops.revived),
            )
        ]
        tables.append(Table(_("New ideas of the period as at its end"), ["", _("Ideas")],
                            funnel_rows))
    return tables


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def charts(spec: ReportSpec, data: ReportData) -> list[Chart]:
    """The dashboards' charts for the period, unfiltered, drawn for paper: the same
    selectors give the numbers, so the pack agrees with /dashboards/ for the period."""
    period: Period = spec.period
    dashboard = DashboardData(ideas=Idea.objects.all(), period=period, period_chosen=True)
    counted = _count
    balance_rows = balance(dashboard)
    funnel_rows = data.summary.funnel
    funding_rows = funding(dashboard)
    # Every grant to date, cut at the period's end: how the leverage grew up to the period.
    leverage_rows = leverage(dashboard, window=ALL)
    result = [
        Chart(
            _("Portfolio balance: ideas created in the period by theme and region"),
            _data_uri(report_charts.balance_svg(
                balance_rows, counted=counted, title="",
                empty=_("No ideas were created in the period."),
            )),
            _("An idea counts in each region it involves; the totals in brackets count each "
              "idea once. An empty cell is a gap."),
        ),
    ]
    if funnel_rows is not None:
        result.append(Chart(
            _("Pipeline funnel: ideas created in the period reaching each stage"),
            _data_uri(report_charts.funnel_svg(
                funnel_rows, labels=[str(stage.label) for stage in PATH], counted=counted,
                title="", empty=_("No ideas were created in the period."),
            )),
            _("In brackets: the share that reached the stage of those that reached the one "
              "before; %(as_at)s.") % {"as_at": period.as_at_text},
        ))
    result += [
        Chart(
            _("Funding by instrument in the period"),
            _data_uri(report_charts.funding_svg(
                funding_rows, euros=_euros, legend=(_("€ requested"), _("€ granted")),
                title="", empty=_("No applications were submitted or decided in the period."),
            )),
        ),
        Chart(
            _("Leverage over time: € granted to ideas born at the network's events"),
            _data_uri(report_charts.leverage_svg(
                leverage_rows, euros=_euros, day=_day, title="",
                legend=(_("€ granted to ideas born at the network's events"),
                        _("The network's own funding"), _("The network's total budget")),
            )),
            window_text(leverage_rows.window),
        ),
    ]
    return result


def _targets(rows: list[Any]) -> list[Row]:
    """The plan's targets as rows: target, actual, reached and whether on track."""
    texts = {"EUROS": MONEY, "RATIO": RATIO}
    result = []
    for row in rows:
        kind = texts.get(str(row.unit).upper(), COUNT)
        result.append(Row(row.label, [
            Cell(value_text(rounded(row.target_value, kind), kind)),
            Cell(_day(row.target_date)),
            Cell(value_text(rounded(row.actual, kind), kind)),
            Cell(percent_text(row.reached)),
            Cell(_("on track") if row.on_track else _("behind"),
                 "up" if row.on_track else "down"),
        ]))
    return result


def pdf_context(spec: ReportSpec, data: ReportData) -> dict[str, Any]:
    """Everything the template shows, as text in the active language."""
    summary = data.summary
    return {
        "language": spec.language,
        "title": report_title(spec),
        # The workbook's own sentence, so the two say it alike.
        "period_text": _("Period %(period)s. Every figure is as it stood at the end of the "
                         "period; the network's own funding is %(own)s €.")
        % {"period": span(spec.period),
           "own": whole_text(summary.own_funding)},
        "leverage_definition": leverage_definition(),
        "key_figures": key_figures(data),
        # Targets against the plan as at the period's end: shown only when there are any.
        "targets": _targets(data.targets),
        "target_headers": [_("Target"), _("Target value"), _("Target date"), _("Actual"),
                           _("Reached"), _("Progress")],
        "narrative": spec.narrative.parts(),
        "charts": charts(spec, data),
        "tables": summary_tables(data),
        # Strings of the page margins' CSS ("Sivu 2 / 5"), written into the style sheet.
        "footer": css_string(f"{settings.NETWORK_NAME} · {spec.period_label}"),
        "page_word": css_string(_("Page")),
        "of_word": css_string(pgettext("page 2 of 5", "of")),
    }


def css_string(text: str) -> SafeString:
    """``text`` as a quoted CSS string, safe inside a style element."""
    escaped = "".join(
        f"\\{ord(letter):x} " if letter in '\\"<>&' or not letter.isprintable() else letter
        for letter in text
    )
    return mark_safe(f'"{escaped}"')


def write_pdf(spec: ReportSpec, data: ReportData) -> bytes:
    """The board pack as PDF bytes, in the spec's language. The same data gives the same
    bytes: nothing in it says when it was made. Raises PdfUnavailable without Pango."""
    weasyprint = _weasyprint()
    # fontTools stamps each embedded font subset with the time it was made unless the
    # reproducible-builds variable fixes it: fixed, the same data gives the same bytes.
    os.environ.setdefault("SOURCE_DATE_EPOCH", FONT_EPOCH)
    with override(spec.language):
        html = render_to_string("dashboards/report_pdf.html", pdf_context(spec, data))
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    # A fixed identifier: by default WeasyPrint makes one from the time.
    # Tagged: headings, tables, lists and the charts' alternative texts reach screen readers.
    return document.write_pdf(pdf_identifier=f"salkku-{spec.period_label}".encode(), pdf_tags=True)
