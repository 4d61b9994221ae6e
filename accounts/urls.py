from django.urls import path

from accounts import views, views_two_factor

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password-change"),
    path(
        "account/sessions/sign-out/",
        views.sign_out_other_sessions,
        name="account-sign-out-others",
    ),
    path("account/tokens/", views.token_list, name="token-list"),
    path("account/tokens/<str:key>/revoke/", views.token_revoke, name="token-revoke"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-sent"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("account/two-factor/", views_two_factor.two_factor, name="two-factor"),
    path("account/two-factor/verify/", views_two_factor.two_factor_verify, name="two-factor-verify"),
    path("account/two-factor/remove/", views_two_factor.two_factor_remove, name="two-factor-remove"),
]
