"""Server time of the funders' dashboard at scale, beside its raw SQL.

The baseline is the dashboard's own aggregate queries, recorded while the page is made and
then run again directly on the database cursor: the same numbers without the ORM, Python,
Plotly or templates. Also prints the page's query count and payload size.

    make bench                       # 100 000 ideas (seeding takes a few minutes once)
    BENCH_IDEAS=5000 python benchmarks/dashboard.py
"""

from __future__ import annotations

from _setup import IDEAS, manager_client, median_ms
from django.db import connection

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

    page()  # warm
    with connection.execute_wrapper(record):
        size = len(page().content)
    queries = len(recorded)
    # Session, user and role lookups are not the dashboard's numbers.
    aggregates = [
        (sql, params)
        for sql, params in recorded
        if "django_session" not in sql and "auth_" not in sql
    ]

    def raw_sql():
        with connection.cursor() as cursor:
            for sql, params in aggregates:
                cursor.execute(sql, params)
                cursor.fetchall()

    page_ms = median_ms(page)
    sql_ms = median_ms(raw_sql)
    print(
        f"{name} {IDEAS:>7,} ideas  median {page_ms:7.1f} ms  queries {queries:3}  "
        f"{size / 1024:5.0f} KB  raw SQL {sql_ms:6.1f} ms ({len(aggregates)} queries)  "
        f"ratio {page_ms / sql_ms:5.1f}x"
    )


def main() -> None:
    client = manager_client()
    for name, query in PAGES:
        measure(client, name, query)


if __name__ == "__main__":
    main()
