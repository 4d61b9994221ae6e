from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from dashboards.urls import region_urlpatterns, report_urlpatterns, target_urlpatterns
from funding.urls import idea_urlpatterns as idea_funding_urlpatterns
from portfolio.views import home
from vuosikello.views import language_switch

urlpatterns = [
    # Browsers ask for /favicon.ico on pages that name no icon (the API's JSON, Swagger UI).
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.svg")),
    path("", home.home, name="home"),
    path("healthz", home.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch, which also keeps the choice for the user's mails.
    path("i18n/setlang/", language_switch, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls", namespace="api")),
    path("", include("portfolio.urls")),
    path("", include(idea_funding_urlpatterns)),
    path("", include("accounts.urls")),
    path("funding/", include("funding.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("reports/", include(report_urlpatterns)),
    path("regions/", include(region_urlpatterns)),
    path("targets/", include(target_urlpatterns)),
    path("", include("vuosikello.urls")),
    path("", include("network.urls")),
    path("", include("accessibility.urls")),
]

# A request Django refuses to read (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many
# fields): 413 or 400 in JSON for the API and the board, Django's page otherwise.
handler400 = "core.request_bodies.bad_request"

if settings.OIDC_ENABLED:
    # Single sign-on's addresses exist only when it is configured.
    from accounts.oidc import oidc_urlpatterns

    urlpatterns += oidc_urlpatterns()
