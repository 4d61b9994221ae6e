from django.urls import path

from funding import views

# Under /funding/.
urlpatterns = [
    path("applications/", views.application_list, name="application-list"),
    path("instruments/", views.instrument_list, name="instrument-list"),
    path("calls/", views.call_list, name="call-list"),
]

# An idea's funding, under its own address /ideas/<pk>/.
idea_urlpatterns = [
    path("ideas/<int:pk>/applications/add/", views.application_form, name="application-add"),
    path(
        "ideas/<int:pk>/applications/<int:application_pk>/edit/",
        views.application_form,
        name="application-edit",
    ),
    path(
        "ideas/<int:pk>/applications/<int:application_pk>/decision/",
        views.application_decision,
        name="application-decision",
    ),
    path("ideas/<int:pk>/implementation/", views.implementation_edit, name="implementation-edit"),
]
