from django.conf import settings


def portal(request):
    """Expose the portal's name and support lines to every template."""
    return {"PORTAL_NAME": settings.PORTAL_NAME, "PORTAL_HOTLINES": settings.PORTAL_HOTLINES}
