"""What every filtered, paginated list page shares: the filter's state and one page of rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django_filters import FilterSet

from core.filters import filtered_rows, is_filtered

PAGE_SIZE = 50


@dataclass(frozen=True)
class ListPage:
    filter: FilterSet
    page: Page
    is_filtered: bool
    invalid: bool

    @property
    def page_range(self):
        return self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2)

    def context(self, **extra: Any) -> dict[str, Any]:
        return {
            "filter": self.filter,
            "page": self.page,
            "page_range": self.page_range,
            "is_filtered": self.is_filtered,
            "filter_invalid": self.invalid,
            **extra,
        }


def list_page(
    request: HttpRequest, filterset: FilterSet, rows: QuerySet | None = None
) -> ListPage:
    """One page of ``rows`` (by default the filter's rows as they are; a view passes them
    shaped for its table from ``filtered_rows``). A bad page number gives the first page,
    one past the end the last."""
    if rows is None:
        rows = filtered_rows(filterset)
    return ListPage(
        filter=filterset,
        page=Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        is_filtered=is_filtered(filterset),
        invalid=filterset.is_bound and not filterset.is_valid(),
    )
