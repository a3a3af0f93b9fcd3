"""portal/urls.py read again under other settings: the development stand-ins are mounted when it is imported."""

import importlib
from contextlib import contextmanager

from django.urls import clear_url_caches


@contextmanager
def reloaded_urls(settings, **values):
    """Set `values` (pytest-django's `settings` fixture), import portal.urls again, and restore both after."""
    import portal.urls

    originals = {name: getattr(settings, name) for name in values}
    for name, value in values.items():
        setattr(settings, name, value)
    try:
        importlib.reload(portal.urls)
        clear_url_caches()
        yield
    finally:
        for name, value in originals.items():
            setattr(settings, name, value)
        importlib.reload(portal.urls)
        clear_url_caches()
