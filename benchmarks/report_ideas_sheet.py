"""The quarterly report's Ideas sheet at scale, against a bare openpyxl write-only loop.

Loads ``seed_demo --ideas N`` (default 100 000) as the other benchmarks do, then writes the
Ideas sheet of the report for a period ending on the demo's last day (every idea) to a
temporary file, and a bare write-only workbook with the same values, fetched the same way
(``dashboards.selectors.report.idea_rows``), appended as plain values with no styles,
formats or text checks. Prints both medians and their ratio, then the peak memory of each
(tracemalloc, a separate run) at a quarter of the ideas and at all of them: a streamed sheet
keeps the same peak however many rows it writes.

    make bench                                       # 100 000 ideas
    BENCH_IDEAS=20000 .venv/bin/python benchmarks/report_ideas_sheet.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
from collections.abc import Iterable
from datetime import date
from itertools import islice

from _setup import IDEAS, manager_client, peak_mb, timed
from django.utils import timezone
from openpyxl import Workbook

from dashboards.reports import write_ideas_sheet
from dashboards.selectors.report import IdeaRow, Names, idea_rows
from demo.planner import last_history_day

# Whole workbooks of 100 000 rows take seconds each: fewer rounds than the page benchmarks.
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
# Every idea of a database seeded up to today (or earlier) was created by then.
END: date = last_history_day(timezone.localdate())


def rows(limit: int | None = None) -> Iterable[IdeaRow]:
    return islice(idea_rows(END, Names()), limit)


def report_sheet(limit: int | None = None) -> None:
    workbook = Workbook(write_only=True)
    write_ideas_sheet(workbook, rows(limit))
    with tempfile.TemporaryFile() as out:
        workbook.save(out)


def bare_sheet(limit: int | None = None) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Ideas")
    for row in rows(limit):
        sheet.append([
            row.title, row.stage, row.stage_since, row.owner, row.themes, row.regions,
            row.origin_event, row.estimated_budget, row.created,
        ])
    with tempfile.TemporaryFile() as out:
        workbook.save(out)


def main() -> None:
    manager_client()  # migrates and seeds the scratch database once
    bare_sheet()  # warm caches
    # The two take turns, so a busy machine slows both alike; CPU time is shown too, since
    # SQLite runs in this process and other processes do not add to it.
    report, bare = [], []
    for _round in range(REPEAT):
        report.append(timed(report_sheet))
        bare.append(timed(bare_sheet))
    for label, index in (("wall", 0), ("CPU", 1)):
        report_ms = statistics.median(run[index] for run in report)
        bare_ms = statistics.median(run[index] for run in bare)
        print(
            f"ideas sheet {IDEAS:>7,} ideas  {label:4} median {report_ms:8.0f} ms  "
            f"bare openpyxl {bare_ms:8.0f} ms  ratio {report_ms / bare_ms:4.2f}x"
        )
    quarter = max(1, IDEAS // 4)
    for size in (quarter, IDEAS):
        print(
            f"  peak memory at {size:>7,} rows: report {peak_mb(report_sheet, size):6.1f} MB  "
            f"bare {peak_mb(bare_sheet, size):6.1f} MB"
        )


if __name__ == "__main__":
    main()
