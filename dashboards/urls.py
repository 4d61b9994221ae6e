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
    path("making/<int:pk>/", views.report_request_detail, name="report-request"),
    path("making/<int:pk>/retry/", views.report_request_retry, name="report-request-retry"),
]

# Mounted at /regions/.
region_urlpatterns = [
    path("<str:code>/", views.region_detail, name="region-detail"),
]

# Mounted at /targets/.
target_urlpatterns = [
    path("", views.target_list, name="target-list"),
    path("new/", views.target_form, name="target-create"),
    path("<int:pk>/edit/", views.target_form, name="target-edit"),
    path("<int:pk>/delete/", views.target_delete, name="target-delete"),
    path("<int:target_pk>/values/new/", views.manual_value_form, name="target-value-create"),
    path("values/<int:pk>/edit/", views.manual_value_form, name="target-value-edit"),
    path("values/<int:pk>/delete/", views.manual_value_delete, name="target-value-delete"),
]
