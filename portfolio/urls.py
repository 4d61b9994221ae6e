from django.urls import path

from portfolio.views import (
    board,
    consortium,
    events,
    ideas,
    imports,
    organisations,
)

urlpatterns = [
    path("board/", board.board, name="board"),
    path("ideas/", ideas.idea_list, name="idea-list"),
    path("ideas/export.xlsx", ideas.idea_export, name="idea-export"),
    path("ideas/new/", ideas.idea_create, name="idea-create"),
    path("ideas/import/", imports.idea_import, name="idea-import"),
    path("ideas/import/template.xlsx", imports.idea_import_template, name="idea-import-template"),
    path("ideas/import/<int:pk>/", imports.idea_import_detail, name="idea-import-detail"),
    path("ideas/import/<int:pk>/check/", imports.idea_import_check, name="idea-import-check"),
    path("ideas/import/run/<int:pk>/retry/", imports.idea_import_retry, name="idea-import-retry"),
    path(
        "ideas/import/<int:pk>/confirm/", imports.idea_import_confirm, name="idea-import-confirm"
    ),
    path(
        "ideas/import/<int:pk>/discard/", imports.idea_import_discard, name="idea-import-discard"
    ),
    path("ideas/<int:pk>/", ideas.idea_detail, name="idea-detail"),
    path("ideas/<int:pk>/edit/", ideas.idea_edit, name="idea-edit"),
    path("ideas/<int:pk>/move/", ideas.idea_move, name="idea-move"),
    path("ideas/<int:pk>/members/add/", consortium.member_form, name="member-add"),
    path("ideas/<int:pk>/members/<int:member_pk>/edit/", consortium.member_form, name="member-edit"),
    path(
        "ideas/<int:pk>/members/<int:member_pk>/remove/",
        consortium.member_remove,
        name="member-remove",
    ),
    path("events/", events.event_list, name="event-list"),
    path("events/outcomes.xlsx", events.event_outcomes_export, name="event-outcomes-export"),
    path("events/new/", events.event_form, name="event-create"),
    path("events/<int:pk>/", events.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", events.event_form, name="event-edit"),
    path("organisations/", organisations.organisation_list, name="organisation-list"),
    path("organisations/new/", organisations.organisation_form, name="organisation-create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_form, name="organisation-edit"),
    path("organisations/<int:pk>/contacts/add/", organisations.contact_add, name="contact-add"),
    path("contacts/<int:pk>/edit/", organisations.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/erase/", organisations.contact_erase, name="contact-erase"),
]
