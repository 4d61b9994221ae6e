"""Template context every page needs: the user's role and the navigation section."""

from django.http import HttpRequest

from accounts.permissions import can_view_portfolio, is_manager, role_of

# URL name → the navigation item it belongs to.
SECTIONS = {
    "board": "board",
    "idea": "ideas",
    "member": "ideas",
    "application-add": "ideas",
    "application-edit": "ideas",
    "application-decision": "ideas",
    "implementation": "ideas",
    "event": "events",
    "organisation": "organisations",
    "contact": "organisations",
    "application-list": "funding",
    "instrument": "funding",
    "call": "funding",
    "dashboard": "dashboards",
    "platform": "platforms",
    "theme": "themes",
    "need": "themes",
    "calendar": "calendar",
    "report": "reports",
}


def _section(url_name: str | None) -> str:
    if not url_name:
        return ""
    for prefix, section in SECTIONS.items():
        if url_name == prefix or url_name.startswith(prefix + "-"):
            return section
    return ""


def roles(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    match = getattr(request, "resolver_match", None)
    return {
        "role": role_of(user),
        "can_edit": is_manager(user),
        "can_view_portfolio": can_view_portfolio(user),
        "nav_section": _section(match.url_name if match else None),
    }
