from django.conf import settings

# The main menu's sections, by the start of their paths (the first that matches is highlighted).
NAV_SECTIONS = (
    ("procedures", "/thu-tuc/"),
    ("online", "/dich-vu-cong-truc-tuyen/"),
    ("lookup", "/tra-cuu-ho-so/"),
    ("statistics", "/thong-ke/"),
    ("faq", "/cau-hoi-thuong-gap/"),
    ("guide", "/huong-dan/"),
)


def nav_section(path: str) -> str:
    """The menu section a path belongs to ("" for none): the page's frame is kept per section, not per path."""
    if path == "/":
        return "home"
    return next((name for name, prefix in NAV_SECTIONS if path.startswith(prefix)), "")


def portal(request):
    """Expose the portal's name and support lines to every template, and the menu's section of the page."""
    return {"PORTAL_NAME": settings.PORTAL_NAME, "PORTAL_HOTLINES": settings.PORTAL_HOTLINES,
            "nav_section": nav_section(request.path)}
