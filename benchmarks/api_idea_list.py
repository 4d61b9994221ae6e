"""Server time of the API's idea list: a page of 50 at scale, beside a bare Django view.

The bare view returns the same 50 rows (newest first) as JSON straight from ``.values()``:
the same columns, the owner's name and each idea's theme and region ids, with no
authentication classes, permissions, filters, pagination or serializers. Both are requested
through Django's test client with the same middleware; the ratio is the API's cost.

Two rows: numbered pages (``count`` of every matching idea on each page) and cursor pages
(``pagination=cursor``, no count), each beside the same bare view.

    make bench                       # 100 000 ideas (seeding takes a few minutes once)
    BENCH_IDEAS=5000 python benchmarks/api_idea_list.py
"""

from __future__ import annotations

import sys

from _setup import IDEAS, manager_client, median_ms
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path

from portfolio.models import Idea

COLUMNS = (
    "id", "title", "summary", "stage", "stage_entered_at", "drop_reason", "version",
    "owner_id", "owner__first_name", "owner__last_name", "origin_event_id",
    "estimated_budget", "created_at", "updated_at",
)


def bare_idea_page(request: HttpRequest) -> JsonResponse:
    rows = list(Idea.objects.order_by("-created_at", "-pk").values(*COLUMNS)[:50])
    ids = [row["id"] for row in rows]
    themes: dict[int, list[int]] = {}
    for idea_id, theme_id in Idea.themes.through.objects.filter(idea_id__in=ids).values_list(
        "idea_id", "theme_id"
    ):
        themes.setdefault(idea_id, []).append(theme_id)
    regions: dict[int, list[int]] = {}
    for idea_id, region_id in Idea.regions.through.objects.filter(idea_id__in=ids).values_list(
        "idea_id", "region_id"
    ):
        regions.setdefault(idea_id, []).append(region_id)
    for row in rows:
        row["themes"] = themes.get(row["id"], [])
        row["regions"] = regions.get(row["id"], [])
    return JsonResponse({"results": rows})


urlpatterns = [
    path("bench/bare-ideas/", bare_idea_page),
    path("", include("config.urls")),
]


def main() -> None:
    client = manager_client()

    def page(query: str):
        def request():
            response = client.get(f"/api/v1/ideas/?page_size=50{query}")
            assert response.status_code == 200, response.content[:300]
            assert len(response.json()["results"]) == min(50, IDEAS)
            return response

        return request

    def bare():
        response = client.get("/bench/bare-ideas/")
        assert response.status_code == 200
        return response

    # Numbered pages (with the count of every idea) and cursor pages (without).
    for name, api in (("api ideas", page("")), ("api cursor", page("&pagination=cursor"))):
        with override_settings(ROOT_URLCONF=sys.modules[__name__]):
            with CaptureQueriesContext(connection) as captured:
                size = len(api().content)
            queries = len(captured)
            api_ms = median_ms(api)
            bare_ms = median_ms(bare)
        print(
            f"{name:10} {IDEAS:>7,} ideas  median {api_ms:7.1f} ms  queries {queries:3}  "
            f"{size / 1024:5.0f} KB  bare view {bare_ms:6.1f} ms  ratio {api_ms / bare_ms:5.1f}x"
        )


if __name__ == "__main__":
    main()
