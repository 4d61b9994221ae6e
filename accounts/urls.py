from django.urls import path

from accounts import views, views_two_factor

urlpatterns = [
    path("account/tokens/", views.token_list, name="token-list"),
    path("account/tokens/<str:key>/revoke/", views.token_revoke, name="token-revoke"),
    path("account/two-factor/", views_two_factor.two_factor, name="two-factor"),
    path("account/two-factor/verify/", views_two_factor.two_factor_verify, name="two-factor-verify"),
    path("account/two-factor/remove/", views_two_factor.two_factor_remove, name="two-factor-remove"),
]
