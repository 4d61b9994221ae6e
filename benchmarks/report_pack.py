"""The quarterly report's PDF board pack at scale: the workbook alone against the workbook
and the PDF made from the same read of the figures.

Loads ``seed_demo --ideas N`` (default 100 000) as the other benchmarks do, then makes the
report of the demo's last quarter (every idea is in its Ideas sheet) the way
``services.report_generate`` does — ``report_data`` once, the workbook, then the PDF —
without storing it. Prints both medians and their ratio (the pack should stay within 2×
the workbook alone), the PDF's own time, and the peak memory of each (tracemalloc, a
separate run) with the Ideas sheet cut to a quarter of the ideas and with all of them: the
PDF draws only aggregates, so its share of the peak stays the same however many ideas.

    make bench                                     # 100 000 ideas
    BENCH_IDEAS=20000 .venv/bin/python benchmarks/report_pack.py
"""

from __future__ import annotations

import logging
import os
import statistics
import tempfile
from collections.abc import Callable
from itertools import islice

from _setup import IDEAS, manager_client, peak_mb, timed
from django.utils import timezone

from dashboards import report_pdf, reports
from dashboards.reports import ReportSpec, report_data, write_report
from demo.planner import last_history_day

REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
# WeasyPrint's progress and fontTools' subsetting log at INFO, once per page and font.
for name in ("weasyprint", "fontTools"):
    logging.getLogger(name).setLevel(logging.WARNING)
# The quarter of the demo's last day: every idea of a database seeded up to today is in it.
LAST_DAY = last_history_day(timezone.localdate())
SPEC = ReportSpec.for_quarter(LAST_DAY.year, (LAST_DAY.month - 1) // 3 + 1, "fi")


def _limited(limit: int | None) -> Callable[[], None]:
    """Cut the Ideas sheet to ``limit`` rows (None: all), for the memory runs."""
    original = reports.selectors.idea_rows

    def rows(*args, **kwargs):
        return islice(original(*args, **kwargs), limit)

    reports.selectors.idea_rows = rows

    def restore() -> None:
        reports.selectors.idea_rows = original

    return restore


def workbook_alone(limit: int | None = None) -> None:
    restore = _limited(limit)
    try:
        data = report_data(SPEC)
        with tempfile.TemporaryFile() as out:
            write_report(SPEC, out, data)
    finally:
        restore()


def workbook_and_pdf(limit: int | None = None) -> None:
    restore = _limited(limit)
    try:
        data = report_data(SPEC)
        with tempfile.TemporaryFile() as out:
            write_report(SPEC, out, data)
        report_pdf.write_pdf(SPEC, data)
    finally:
        restore()


def pdf_alone() -> None:
    report_pdf.write_pdf(SPEC, report_data(SPEC))


def main() -> None:
    manager_client()  # migrates and seeds the scratch database once
    workbook_and_pdf()  # warm caches: fonts, matplotlib, the database
    alone, pack, pdf = [], [], []
    for _round in range(REPEAT):  # in turns, so a busy machine slows both alike
        alone.append(timed(workbook_alone))
        pack.append(timed(workbook_and_pdf))
        pdf.append(timed(pdf_alone))
    print(f"report pack {SPEC.period_label} at {IDEAS:,} ideas")
    for label, index in (("wall", 0), ("CPU", 1)):
        alone_ms = statistics.median(run[index] for run in alone)
        pack_ms = statistics.median(run[index] for run in pack)
        pdf_ms = statistics.median(run[index] for run in pdf)
        print(
            f"  {label:4} workbook {alone_ms:8.0f} ms  workbook + PDF {pack_ms:8.0f} ms  "
            f"ratio {pack_ms / alone_ms:4.2f}x  (PDF with its own read {pdf_ms:6.0f} ms)"
        )
    quarter = max(1, IDEAS // 4)
    for size in (quarter, IDEAS):
        print(
            f"  peak memory with {size:>7,} ideas in the sheet: workbook "
            f"{peak_mb(workbook_alone, size):6.1f} MB  workbook + PDF "
            f"{peak_mb(workbook_and_pdf, size):6.1f} MB"
        )


if __name__ == "__main__":
    main()
