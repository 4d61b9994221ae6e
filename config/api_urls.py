"""/api/: the versioned REST API, its OpenAPI schema and Swagger UI (served locally)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from core.api import UnknownAddressView
from funding import api as funding_api
from portfolio.api import views as portfolio_api

app_name = "api"

router = DefaultRouter()
router.include_root_view = False
router.register("ideas", portfolio_api.IdeaViewSet)
router.register("members", portfolio_api.MemberViewSet)
router.register("transitions", portfolio_api.TransitionViewSet)
router.register("events", portfolio_api.EventViewSet)
router.register("organisations", portfolio_api.OrganisationViewSet)
router.register("contacts", portfolio_api.ContactViewSet)
router.register("regions", portfolio_api.RegionViewSet)
router.register("themes", portfolio_api.ThemeViewSet)
router.register("applications", funding_api.ApplicationViewSet)
router.register("implementations", funding_api.ImplementationViewSet)
router.register("instruments", funding_api.InstrumentViewSet)
router.register("calls", funding_api.CallViewSet)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Last: an address ending in "/" that nothing above takes. One without the slash is
    # first redirected to it, as everywhere on the site.
    re_path(r"^(?:.*/)?$", UnknownAddressView.as_view()),
]
