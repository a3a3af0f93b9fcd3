"""The signed-in user comes from the cache (accounts/user_cache.py): a signed-in page reads no user row, and every
write to the row, whichever way it is made, reaches the next request at once (sessions ended, names shown, accounts
refused)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User

from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"
PROFILE = "/tai-khoan/"


def signed_in(user, password=PASSWORD) -> Client:
    client = Client()
    assert client.post(LOGIN, {"username": user.email, "password": password}).status_code == 302
    return client


def user_queries(client, path=PROFILE) -> tuple[int, int]:
    """The status of a GET of `path` and how many of its queries read the user table."""
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    return status, sum('FROM "accounts_user"' in q["sql"] for q in queries.captured_queries)


def test_a_signed_in_page_reads_no_user_row_once_the_user_is_kept():
    client = signed_in(UserFactory())
    assert user_queries(client)[0] == 200  # the first request after the sign-in reads the row and keeps it
    assert user_queries(client) == (200, 0)


def test_the_database_answers_when_the_setting_is_off(settings):
    settings.USERS_CACHED = False
    client = signed_in(UserFactory())
    client.get(PROFILE)
    assert user_queries(client) == (200, 1)


def test_a_password_changed_in_another_session_ends_this_one_at_once():
    user = UserFactory()
    phone, desk = signed_in(user), signed_in(user)
    assert phone.get(PROFILE).status_code == 200 and phone.get(PROFILE).status_code == 200  # kept
    answer = desk.post("/tai-khoan/doi-mat-khau/", {
        "old_password": PASSWORD, "new_password1": "Mật khẩu mới hẳn 2026", "new_password2": "Mật khẩu mới hẳn 2026"})
    assert answer.status_code == 302
    assert phone.get(PROFILE).url.startswith(LOGIN)  # signed out: the page sends it to the sign-in form
    assert desk.get(PROFILE).status_code == 200  # the session that changed it stays signed in


@pytest.mark.parametrize("write", ["save", "update"])
def test_an_account_deactivated_is_signed_out_at_once(write):
    user = UserFactory()
    client = signed_in(user)
    assert client.get(PROFILE).status_code == 200 and client.get(PROFILE).status_code == 200
    if write == "save":
        user.is_active = False
        user.save(update_fields=["is_active"])
    else:  # an UPDATE sends no signal: the manager's queryset forgets the row itself
        User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(PROFILE).url.startswith(LOGIN)


def test_a_new_name_shows_on_the_next_page():
    user = UserFactory(full_name="Nguyễn Văn An")
    client = signed_in(user)
    client.get(PROFILE)
    assert "Nguyễn Văn An" in client.get(PROFILE).content.decode()
    User.objects.filter(pk=user.pk).update(full_name="Trần Thị Bình")
    page = client.get(PROFILE).content.decode()
    assert "Trần Thị Bình" in page and "Nguyễn Văn An" not in page


def test_a_row_read_before_a_write_committed_is_not_used_after_it(django_capture_on_commit_callbacks):
    """The race the stamp closes: a request reads the row, a write commits, then the request keeps what it read."""
    from accounts import user_cache

    user = UserFactory(full_name="Nguyễn Văn An")
    client = signed_in(user)
    client.get(PROFILE)
    old = User.objects.get(pk=user.pk)
    stamp = cache.get(user_cache._stamp_key(user.pk))
    with django_capture_on_commit_callbacks(execute=True):
        User.objects.filter(pk=user.pk).update(full_name="Trần Thị Bình")
    # The slow request now keeps the row it read before the write, under the stamp it read then.
    cache.set(f"accounts:user:{user.pk}:{user_cache._mark()}", (stamp, old), 60)
    assert "Trần Thị Bình" in client.get(PROFILE).content.decode()


def test_a_cache_that_does_not_answer_leaves_the_database_to_answer(settings):
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "portal.cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}  # nothing listens on port 9
    user = UserFactory()
    client = signed_in(user)
    assert user_queries(client) == (200, 1)
