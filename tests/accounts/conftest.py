import re

import pytest
from django.core.cache import cache

from accounts.selectors import commune_choices

from tests.factories.accounts import PASSWORD

KON_TUM_NOW = 51  # Kon Tum merged into Quảng Ngãi in 2025


@pytest.fixture(autouse=True)
def _captcha_and_cache(monkeypatch, settings):
    """The captcha accepts "PASSED" (django-simple-captcha test mode); rate limits start empty."""
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    cache.clear()
    yield
    cache.clear()


def citizen_post(**overrides) -> dict:
    """POST data of a valid citizen registration."""
    data = {
        "loai": "cong-dan",
        "full_name": "Nguyễn Thị Hoa",
        "date_of_birth": "2001-03-09",
        "gender": "female",
        "identity_number": "062301123456",
        "phone": "+84 912 345 678",
        "email": "Hoa.Nguyen@Example.vn",
        "province_code": str(KON_TUM_NOW),
        "commune_code": str(commune_choices(province_code=KON_TUM_NOW)[0][0]),
        "street_address": "45 Lê Lợi",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "captcha_0": "abc",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def organisation_post(**overrides) -> dict:
    data = citizen_post(loai="to-chuc", full_name="Công ty Cổ phần Ngọc Linh", identity_number="0300588569",
                        representative="Phạm Văn Cường", email="lienhe@ngoclinh.vn")
    for key in ("date_of_birth", "gender"):
        data.pop(key)
    data.update(overrides)
    return data


def link_in(text: str, path_prefix: str) -> str:
    """Return the path of the first link in `text` whose path starts with `path_prefix`."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s\"<]*)", text)
    assert match, f"no {path_prefix} link in:\n{text}"
    return match.group(1)


@pytest.fixture
def register(client, django_capture_on_commit_callbacks):
    """Post a registration form and run what it queued after commit (the e-mail task, eager)."""

    def post(data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/tai-khoan/dang-ky/", data)

    return post


def page_main(response) -> str:
    """The page's main content, with the per-response CSRF token blanked, to compare two answers."""
    main = response.content.decode().split('<main id="main"')[1]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', main)
