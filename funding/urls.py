from django.urls import path

from funding import views

urlpatterns = [
    path("applications/", views.application_list, name="application-list"),
    path("instruments/", views.instrument_list, name="instrument-list"),
    path("calls/", views.call_list, name="call-list"),
]
