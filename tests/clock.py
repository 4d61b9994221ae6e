"""The moment the tests run at.

Every test but the browser tests starts at ``NOW`` (the autouse ``fixed_clock`` fixture in
tests/conftest.py) and the clock ticks on from there. Noon on an ordinary Wednesday in the
middle of a quarter: a test that reads "today" twice, or beside the code it tests, never sees
midnight or a year's end between the two reads, and dates a few weeks from today stay in the
same quarter and year whenever the suite runs. Helsinki time, as the app shows it.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

NOW = datetime(2026, 5, 13, 12, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
TODAY = NOW.date()
