"""The import's check of hostile workbooks: each refused within 5 s and under 200 MB.

Builds each hostile kind of ``tests/hostile.py`` (zip bombs, too many parts, macros, XML
entities, a million rows, the shared-strings bomb found in the wild, shared strings and
cells past their counts) and the largest workbook the default limits accept, then runs the
check an upload gets (``check_file``, as ``POST /ideas/import/`` does) on each in a forked
process of its own, so each peak is its own: wall time, and how far the check raised the
process's peak resident memory above what it was before it started. Needs no database.

    make bench
    .venv/bin/python benchmarks/import_hostile.py
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time

from _setup import ROOT  # noqa: F401  (configures Django)
from django.utils import translation

from portfolio.imports.reading import ImportRefused
from portfolio.imports.services import check_file
from tests import hostile

SECONDS = 5.0
MEGABYTES = 200.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _check(data: bytes, answer) -> None:
    before = _peak_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        check_file(data)
        message = "accepted"
    except ImportRefused as refused:
        message = refused.message
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    answer.send((wall, cpu, _peak_mb() - before, message))


def measure(data: bytes) -> tuple[float, float, float, str]:
    """Wall and CPU seconds, peak memory raised (MB) and the answer of one check, in a
    fresh fork."""
    receiving, sending = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(target=_check, args=(data, sending))
    process.start()
    result = receiving.recv()
    process.join()
    return result


def main() -> None:
    cases = {
        name: (build, words) for name, (build, words) in hostile.KINDS.items()
    }
    cases["largest accepted workbook"] = (hostile.at_the_limits, "accepted")
    over = []
    translation.activate("en")
    for name, (build, words) in cases.items():
        data = build()
        wall, cpu, megabytes, message = measure(data)
        # Judged by CPU time: other processes on the machine stretch the wall time, not it.
        fine = cpu < SECONDS and megabytes < MEGABYTES and words in message
        if not fine:
            over.append(name)
        print(
            f"import check  {name:30} {len(data) / 1e6:4.1f} MB file  wall {wall * 1000:6.0f} ms  "
            f"CPU {cpu * 1000:6.0f} ms  +{megabytes:5.1f} MB peak  {'ok ' if fine else 'OVER'}  "
            f"{message[:60]}"
        )
    if over:
        print(f"Over {SECONDS:.0f} s or {MEGABYTES:.0f} MB, or answered otherwise: "
              + ", ".join(over))
        sys.exit(1)


if __name__ == "__main__":
    main()
