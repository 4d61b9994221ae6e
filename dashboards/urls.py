from django.urls import path

from dashboards import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:key>.xlsx", views.panel_download, name="dashboard-download"),
]
