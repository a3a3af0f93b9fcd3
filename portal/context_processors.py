from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, reverse

# The main menu's sections and the URL each starts at (a page belongs to the first whose path it starts with).
NAV_SECTIONS = (
    ("procedures", "procedures:catalogue"),
    ("online", "online_services"),
    ("lookup", "dossiers:lookup"),
    ("statistics", "reports:statistics"),
    ("faq", "faq"),
    ("guide", "guide"),
)


@cache
def _section_prefixes() -> tuple[tuple[str, str], ...]:
    """The menu's paths, from the URLconf once per process (a section the URLconf lacks is left out)."""
    prefixes = []
    for name, url_name in NAV_SECTIONS:
        try:
            prefixes.append((name, reverse(url_name)))
        except NoReverseMatch:
            continue
    return tuple(prefixes)


def nav_section(path: str) -> str:
    """The menu section a path belongs to ("" for none): the page's frame is kept per section, not per path."""
    if path == "/":
        return "home"
    return next((name for name, prefix in _section_prefixes() if path.startswith(prefix)), "")


def portal(request):
    """Expose the portal's name and support lines to every template, and the menu's section of the page."""
    return {"PORTAL_NAME": settings.PORTAL_NAME, "PORTAL_HOTLINES": settings.PORTAL_HOTLINES,
            "nav_section": nav_section(request.path)}
