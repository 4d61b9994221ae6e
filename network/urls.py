from django.urls import path

from network import views

urlpatterns = [
    path("platforms/", views.platform_list, name="platform-list"),
    path("platforms/new/", views.platform_form, name="platform-create"),
    path("platforms/<int:pk>/", views.platform_detail, name="platform-detail"),
    path("platforms/<int:pk>/edit/", views.platform_form, name="platform-edit"),
    path("ideas/<int:pk>/platforms/", views.idea_platforms_edit, name="idea-platforms"),
    path("themes/", views.theme_list, name="theme-list"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme-detail"),
    path("themes/<slug:slug>/export.xlsx", views.theme_export, name="theme-export"),
    path("themes/<slug:slug>/needs/new/", views.need_create, name="need-create"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need-edit"),
]
