"""Every form that changes something refuses a POST without the CSRF token."""

import pytest
from django.test import Client

from .conftest import citizen_post
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path, data",
    [
        ("/tai-khoan/dang-ky/", citizen_post()),
        ("/tai-khoan/dang-nhap/", {"username": "an@example.vn", "password": PASSWORD}),
        ("/tai-khoan/gui-lai-xac-nhan/", {"email": "an@example.vn"}),
        ("/tai-khoan/quen-mat-khau/", {"email": "an@example.vn"}),
    ],
)
def test_anonymous_posts_need_the_token(path, data):
    UserFactory(email="an@example.vn")
    client = Client(enforce_csrf_checks=True)
    assert client.post(path, data).status_code == 403
    assert client.get("/tai-khoan/").status_code == 302  # nothing happened, not logged in


@pytest.mark.parametrize(
    "path, data",
    [
        ("/tai-khoan/", {"full_name": "Đổi tên", "email": "khac@example.vn"}),
        ("/tai-khoan/dang-xuat/", {}),
        ("/tai-khoan/doi-mat-khau/", {"old_password": PASSWORD, "new_password1": "x" * 20, "new_password2": "x" * 20}),
    ],
)
def test_logged_in_posts_need_the_token(path, data):
    user = UserFactory(email="an@example.vn", full_name="Nguyễn Văn An")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(path, data).status_code == 403
    user.refresh_from_db()
    assert user.full_name == "Nguyễn Văn An" and user.check_password(PASSWORD) and user.pending_email == ""
    assert client.get("/tai-khoan/").status_code == 200  # still logged in


def test_password_reset_confirm_needs_the_token(client, django_capture_on_commit_callbacks):
    from django.core import mail

    from .conftest import link_in

    UserFactory(email="an@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/tai-khoan/quen-mat-khau/", {"email": "an@example.vn"})
    strict = Client(enforce_csrf_checks=True)
    form_url = strict.get(link_in(mail.outbox[0].body, "/tai-khoan/dat-lai-mat-khau/"), follow=True).redirect_chain[-1][0]
    assert strict.post(form_url, {"new_password1": "x" * 20, "new_password2": "x" * 20}).status_code == 403
