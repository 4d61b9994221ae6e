from django.urls import path

from dashboards import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:key>.xlsx", views.panel_download, name="dashboard-download"),
]

# Mounted at /reports/.
report_urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("<int:pk>/download/", views.report_download, name="report-download"),
    path("<int:pk>/pdf/", views.report_pdf_download, name="report-pdf-download"),
]

# Mounted at /regions/.
region_urlpatterns = [
    path("<str:code>/", views.region_detail, name="region-detail"),
]
