"""Fixtures of the dossier tests; `build`, the domain builder, is shared by every test (tests/conftest.py)."""

import pytest


@pytest.fixture
def citizen(build, client):
    """A citizen with a CCCD number on their profile, logged in."""
    user = build.citizen(full_name="Trần Thị Bình", identity_number="062301000123")
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def _captcha_and_cache(settings, monkeypatch):
    from captcha.conf import settings as captcha_settings
    from django.core.cache import cache

    # django-simple-captcha copies the setting when it is imported; change both.
    settings.CAPTCHA_TEST_MODE = True
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    cache.clear()
