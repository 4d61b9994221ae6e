from django.urls import path

from accessibility import views

urlpatterns = [
    path("saavutettavuus/", views.statement, {"language": "fi"}, name="statement-fi"),
    path("tillganglighet/", views.statement, {"language": "sv"}, name="statement-sv"),
    path("accessibility/", views.statement, {"language": "en"}, name="statement-en"),
]
