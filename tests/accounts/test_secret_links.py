"""No live access link in the outbox: what staff (or anyone reading the table) can see holds no token,
and the e-mails still leave, and leave again on a resend, with a link that works."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail

from accounts.models import User
from accounts.roles import OPERATOR, RECEIVE
from notifications.models import Email
from notifications.sending import email_send
from notifications.services import email_resend
from tests.support.otp import login_verified

from .conftest import citizen_post, link_in
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db
ADMIN = f"/{settings.ADMIN_URL}"
SECRET_PATHS = ("/tai-khoan/xac-nhan/", "/tai-khoan/xac-nhan-email/", "/tai-khoan/dat-lai-mat-khau/")
TOKEN = re.compile(r"/tai-khoan/(?:xac-nhan|xac-nhan-email|dat-lai-mat-khau)/[^/\s\"<]+/[^/\s\"<]+")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def three_links(client, on_commit):
    """A registration, a password reset and an e-mail change: one e-mail of each kind with a link."""
    on_commit(client.post, "/tai-khoan/dang-ky/", citizen_post())
    user = UserFactory(email="an@example.vn")
    on_commit(client.post, "/tai-khoan/quen-mat-khau/", {"email": "an@example.vn"})
    citizen = UserFactory(email="cu@example.vn")
    client.force_login(citizen)
    from accounts.services import account_request_email_change

    on_commit(account_request_email_change, user=citizen, new_email="moi@example.vn")
    client.logout()
    assert Email.objects.count() == 3 and len(mail.outbox) == 3
    return user


def _stored_text() -> str:
    return "\n".join(f"{e.subject}\n{e.body_text}\n{e.body_html}\n{e.context}\n{e.link_args}" for e in Email.objects.all())


def test_the_outbox_rows_hold_no_token_and_the_sent_mails_hold_working_links(client, three_links):
    stored = _stored_text()
    assert not TOKEN.search(stored) and "liên kết bảo mật" in stored
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    paths = [
        link_in(by_recipient["hoa.nguyen@example.vn"], "/tai-khoan/xac-nhan/"),
        link_in(by_recipient["an@example.vn"], "/tai-khoan/dat-lai-mat-khau/"),
        link_in(by_recipient["moi@example.vn"], "/tai-khoan/xac-nhan-email/"),
    ]
    assert all(TOKEN.search(p) for p in paths)
    reset = next(p for p in paths if "dat-lai-mat-khau" in p)
    form = client.get(reset, follow=True)
    assert "new_password1" in form.content.decode()  # the reset link opens the new-password form


def test_a_resent_email_leaves_with_a_fresh_working_link_and_stays_redacted(client, three_links, on_commit):
    row = Email.objects.get(kind="account_password_reset")
    Email.objects.filter(pk=row.pk).update(status="failed")  # as if the mail server had refused it
    mail.outbox.clear()
    assert on_commit(email_resend, email_ids=[row.pk]) == 1
    [again] = mail.outbox
    path = link_in(again.body, "/tai-khoan/dat-lai-mat-khau/")
    assert "new_password1" in client.get(path, follow=True).content.decode()
    row.refresh_from_db()
    assert row.status == "sent" and not TOKEN.search(row.body_text + row.body_html)


def test_an_email_change_link_replaced_by_a_newer_request_is_not_sent(three_links, on_commit):
    from accounts.services import account_request_email_change

    citizen = User.objects.get(email="cu@example.vn")
    first = Email.objects.get(kind="account_email_change")
    on_commit(account_request_email_change, user=citizen, new_email="khac@example.vn")
    Email.objects.filter(pk=first.pk).update(status="failed")
    mail.outbox.clear()
    email_send(email_id=first.pk)
    [late] = mail.outbox
    assert late.to == ["moi@example.vn"] and "/tai-khoan/xac-nhan-email/" not in late.body


def _staff(key_role, email):
    user = User.objects.create_user(email, "x-Secret-123", is_active=True, is_staff=True)
    user.groups.add(Group.objects.get(name=key_role.group))
    return user


def test_the_operator_sees_no_link_anywhere_in_the_admin(client, three_links):
    login_verified(client, _staff(OPERATOR, "vanhanh@kontum.gov.vn"))
    pages = [f"{ADMIN}notifications/email/", f"{ADMIN}notifications/email/?q=tai-khoan",
             f"{ADMIN}notifications/email/?q=an%40example.vn"]
    for email in Email.objects.all():
        pages += [f"{ADMIN}notifications/email/{email.pk}/change/", f"{ADMIN}notifications/email/{email.pk}/history/"]
    for user in User.objects.all():
        pages += [f"{ADMIN}accounts/user/{user.pk}/change/", f"{ADMIN}accounts/user/{user.pk}/history/"]
    for page in pages:
        response = client.get(page)
        text = response.content.decode()
        assert response.status_code == 200, page
        assert not TOKEN.search(text) and "Kính gửi" not in text, page  # no link, no body at all
    listing = client.get(f"{ADMIN}notifications/email/").content.decode()
    assert "an@example.vn" in listing and "Đặt lại mật khẩu" in listing  # recipient and subject are there


def test_a_clerk_has_no_outbox_and_no_accounts(client, three_links):
    login_verified(client, _staff(RECEIVE, "motcua@kontum.gov.vn"))
    for page in (f"{ADMIN}notifications/email/", f"{ADMIN}accounts/user/",
                 f"{ADMIN}notifications/email/{Email.objects.first().pk}/change/",
                 f"{ADMIN}accounts/user/{three_links.pk}/change/"):
        assert client.get(page).status_code == 403, page
    index = client.get(ADMIN).content.decode()
    assert "notifications/email" not in index and "accounts/user" not in index


def test_links_stored_before_the_change_are_redacted_by_the_migration():
    import importlib

    from django.apps import apps

    legacy = Email.objects.create(
        to="cu@example.vn", subject="Đặt lại mật khẩu",
        body_text="Mở: http://127.0.0.1:8000/tai-khoan/dat-lai-mat-khau/MQ/cz1abc-0123456789abcdef/ nhé",
        body_html='<a href="https://dvc.kontum.gov.vn/tai-khoan/xac-nhan/MQ/cz1abc-99/">x</a>',
    )
    importlib.import_module("notifications.migrations.0003_redact_stored_links").redact(apps, None)
    legacy.refresh_from_db()
    assert not TOKEN.search(legacy.body_text + legacy.body_html)
    assert "liên kết bảo mật" in legacy.body_text and legacy.body_text.endswith(" nhé")


def test_the_link_points_at_the_portal_that_queued_it_whatever_the_senders_settings(settings):
    from accounts.services import account_send_password_reset

    settings.SITE_URL = "https://dichvucong.kontum.gov.vn"
    user = UserFactory(email="an@example.vn")
    row = account_send_password_reset(user=user) or Email.objects.get()
    settings.SITE_URL = "http://127.0.0.1:8000"  # a worker started with another environment
    email_send(email_id=row.pk)
    [message] = mail.outbox
    assert "https://dichvucong.kontum.gov.vn/tai-khoan/dat-lai-mat-khau/" in message.body
