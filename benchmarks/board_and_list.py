"""Server time of the board and the idea list at scale, with their query counts.

Loads ``seed_demo --ideas N`` (default 100 000) into a scratch SQLite database (or the one
``BENCH_DATABASE_URL`` names; it is reused when it already holds N ideas), then requests each
page repeatedly through Django's test client and prints the median beside a bare baseline:
a view-less ORM fetch of the same 50 newest rows per stage (board) or the same page of 50
rows (list), as a ratio.

    make bench                       # 100 000 ideas (seeding takes about 4 minutes once)
    BENCH_IDEAS=5000 make bench      # a quick run
"""

from __future__ import annotations

from _setup import IDEAS, manager_client, median_ms
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from portfolio.models import Idea
from portfolio.stages import Stage


def main() -> None:
    client = manager_client()

    def board():
        response = client.get("/board/")
        assert response.status_code == 200
        return response

    def idea_list():
        response = client.get("/ideas/?ordering=-created_at")
        assert response.status_code == 200
        return response

    def bare_board():
        # The same numbers and rows as plain values, no filters, forms or templates.
        list(
            Idea.objects.order_by()
            .values("stage")
            .annotate(count=Count("pk"), budget=Sum("estimated_budget"))
        )
        ids = []
        for stage in Stage:
            rows = list(
                Idea.objects.filter(stage=stage)
                .order_by("-stage_entered_at", "-pk")
                .values(
                    "id", "title", "stage_entered_at", "estimated_budget",
                    "owner__first_name", "owner__last_name",
                )[:50]
            )
            ids += [row["id"] for row in rows]
        list(Idea.themes.through.objects.filter(idea_id__in=ids).values("idea_id", "theme__name_fi"))
        list(Idea.regions.through.objects.filter(idea_id__in=ids).values("idea_id", "region__name_fi"))

    def bare_list():
        list(
            Idea.objects.order_by("-created_at").values(
                "id", "title", "stage", "owner_id", "estimated_budget", "stage_entered_at"
            )[:50]
        )
        Idea.objects.count()

    for name, page, bare in (("board", board, bare_board), ("idea list", idea_list, bare_list)):
        with CaptureQueriesContext(connection) as captured:
            size = len(page().content)
        queries = len(captured)
        page_ms = median_ms(page)
        bare_ms = median_ms(bare)
        print(
            f"{name:10} {IDEAS:>7,} ideas  median {page_ms:7.1f} ms  queries {queries:3}  "
            f"{size / 1024:5.0f} KB  "
            f"bare ORM {bare_ms:6.1f} ms  ratio {page_ms / bare_ms:5.1f}x"
        )


if __name__ == "__main__":
    main()
