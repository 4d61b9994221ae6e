"""The site's addresses with single sign-on's added, as config/urls.py has them when SSO is on."""

from accounts.oidc import oidc_urlpatterns
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, *oidc_urlpatterns()]
