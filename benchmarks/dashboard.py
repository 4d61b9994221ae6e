"""Server time of the funders' dashboard at scale, beside the raw SQL of its direct queries.

The page reads the summary tables (``dashboards.summaries``). The baseline stays the one
the page was measured against before them: the dashboard's direct aggregate queries (the
reference the summaries are tested against), recorded while the page is made with the
summaries switched off, then run again directly on the database cursor — the same numbers
without summaries, ORM, Python, Plotly or templates. So a ratio below 1 is how much faster
the page is than even its old SQL alone. Also prints the page's query count and payload
size, and the raw SQL of the page as it is now (its summary queries).

    make bench                       # 100 000 ideas (seeding takes a few minutes once)
    BENCH_IDEAS=5000 python benchmarks/dashboard.py
"""

from __future__ import annotations

from unittest import mock

from _setup import IDEAS, manager_client, median_ms
from django.db import connection

from dashboards import selectors

# Under a chosen period every panel also reads the previous period and the same period a
# year earlier (the comparison), so that page is measured on its own line.
PAGES = (("dashboard", ""), ("dashboard Q2/2023", "?year=2023&quarter=2"))


def measure(client, name: str, query: str) -> None:
    recorded: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        recorded.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    def page():
        response = client.get(f"/dashboards/{query}")
        assert response.status_code == 200
        return response

    def aggregates() -> list[tuple[str, tuple]]:
        # Session, user and role lookups are not the dashboard's numbers; nor are writes
        # (a session or cache row touched) and the transaction statements around them.
        return [
            (sql, params)
            for sql, params in recorded
            if "django_session" not in sql
            and "auth_" not in sql
            and sql.lstrip().lstrip("(").upper().startswith(("SELECT", "WITH"))
        ]

    def raw_sql(queries: list[tuple[str, tuple]]):
        def run():
            with connection.cursor() as cursor:
                for sql, params in queries:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        return run

    # The direct queries: the page made once with the summaries switched off.
    with mock.patch.object(selectors, "summaries_ready", lambda: False):
        with connection.execute_wrapper(record):
            page()
    direct = aggregates()
    recorded.clear()
    page()  # warm
    with connection.execute_wrapper(record):
        size = len(page().content)
    queries = len(recorded)
    summarised = aggregates()

    page_ms = median_ms(page)
    sql_ms = median_ms(raw_sql(direct))
    now_ms = median_ms(raw_sql(summarised))
    print(
        f"{name} {IDEAS:>7,} ideas  median {page_ms:7.1f} ms  queries {queries:3}  "
        f"{size / 1024:5.0f} KB  direct SQL {sql_ms:7.1f} ms ({len(direct)} queries)  "
        f"ratio {page_ms / sql_ms:5.2f}x  (its own SQL now {now_ms:6.1f} ms)"
    )


def main() -> None:
    client = manager_client()
    for name, query in PAGES:
        measure(client, name, query)


if __name__ == "__main__":
    main()
