from django.urls import path

from vuosikello import views

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/new/", views.entry_form, name="calendar-entry-create"),
    path("calendar/entries/<int:pk>/edit/", views.entry_form, name="calendar-entry-edit"),
    path("calendar/entries/<int:pk>/delete/", views.entry_delete, name="calendar-entry-delete"),
    path("calendar/feeds/", views.feeds, name="calendar-feeds"),
    path("calendar/feeds/reset/", views.feed_reset, name="calendar-feed-reset"),
    path("calendar/feed/<str:token>.ics", views.feed, name="calendar-feed"),
    path(
        "calendar/feed/<str:token>/<str:category>.ics",
        views.feed,
        name="calendar-feed-category",
    ),
]
