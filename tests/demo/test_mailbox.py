"""The demo mailbox of `make run` (demo/mailbox.py), at /tai-khoan/hop-thu/ when DEMO_MODE is on."""

import pytest
from django.core.mail import EmailMultiAlternatives, get_connection

from tests.support.urls import reloaded_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")

    def send(subject, body, to="an@example.vn"):
        message = EmailMultiAlternatives(subject, body, to=[to], connection=get_connection())
        message.attach_alternative(f"<p>{body}</p>", "text/html")
        message.send()

    return send


def test_mailbox_is_not_routed_without_demo_mode(client, settings, file_mail):
    file_mail("Một thư", "nội dung")
    assert client.get("/tai-khoan/hop-thu/").status_code == 200
    settings.DEBUG = True  # DEBUG alone does not bring it back: DEMO_MODE is its setting
    with reloaded_urls(settings, DEMO_MODE=False):
        assert client.get("/tai-khoan/hop-thu/").status_code == 404
        assert client.get("/tai-khoan/hop-thu/x.log/0/").status_code == 404


def test_mailbox_lists_newest_first_and_shows_links_clickable(client, file_mail):
    file_mail("Thư thứ nhất", "Xin chào")
    file_mail("Xác nhận đăng ký", "Mở liên kết: http://127.0.0.1:8000/tai-khoan/xac-nhan/MQ/abc-123/ để kích hoạt.")
    text = client.get("/tai-khoan/hop-thu/").content.decode()
    assert text.index("Xác nhận đăng ký") < text.index("Thư thứ nhất")
    detail_path = text.split('href="/tai-khoan/hop-thu/')[1].split('"')[0]
    detail = client.get("/tai-khoan/hop-thu/" + detail_path).content.decode()
    assert "an@example.vn" in detail
    assert '<a href="http://127.0.0.1:8000/tai-khoan/xac-nhan/MQ/abc-123/"' in detail


def test_mailbox_names_the_attachments(client, settings, file_mail):
    """A booking's confirmation carries its calendar file: the mailbox says so (README: "carries a calendar file")."""
    message = EmailMultiAlternatives("Xác nhận lịch hẹn", "Tệp lịch đính kèm.", to=["an@example.vn"],
                                     connection=get_connection())
    message.attach("lich-hen.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.send()
    text = client.get("/tai-khoan/hop-thu/").content.decode()
    detail = client.get("/tai-khoan/hop-thu/" + text.split('href="/tai-khoan/hop-thu/')[1].split('"')[0]).content.decode()
    assert "Tệp đính kèm" in detail and "lich-hen.ics" in detail
    file_mail("Một thư", "nội dung")  # none: no line at all
    text = client.get("/tai-khoan/hop-thu/").content.decode()
    detail = client.get("/tai-khoan/hop-thu/" + text.split('href="/tai-khoan/hop-thu/')[1].split('"')[0]).content.decode()
    assert "Tệp đính kèm" not in detail


def test_mailbox_empty(client, file_mail):
    assert "Chưa có thư nào." in client.get("/tai-khoan/hop-thu/").content.decode()


@pytest.mark.parametrize("path", ["..%2F..%2Fetc%2Fpasswd/0/", "nope.log/0/", "x.txt/0/", "%2Etmp.log/99/"])
def test_mailbox_refuses_unknown_files(client, file_mail, path):
    file_mail("Một thư", "nội dung")
    assert client.get("/tai-khoan/hop-thu/" + path).status_code == 404


def test_mailbox_refuses_an_index_past_the_end(client, file_mail):
    file_mail("Một thư", "nội dung")
    text = client.get("/tai-khoan/hop-thu/").content.decode()
    name = text.split('href="/tai-khoan/hop-thu/')[1].split("/")[0]
    assert client.get(f"/tai-khoan/hop-thu/{name}/5/").status_code == 404


# "-0000" is what Django writes (formatdate without localtime): UTC, the sender's zone not said. It showed no
# time at all until the README's path on `make run` was walked in a browser.
@pytest.mark.parametrize("zone", ["+0000", "-0000"])
def test_mailbox_shows_the_send_time_in_vietnam_time(client, file_mail, zone):
    from unittest import mock

    # 23:30 UTC on 30 November is 06:30 on 1 December in Hồ Chí Minh City (UTC+7).
    with mock.patch("django.core.mail.message.formatdate", return_value=f"Mon, 30 Nov 2026 23:30:00 {zone}"):
        file_mail("Thư có giờ", "nội dung")
    listing = client.get("/tai-khoan/hop-thu/").content.decode()
    assert "06:30 01/12/2026" in listing
    assert zone not in listing
    path = listing.split('href="/tai-khoan/hop-thu/')[1].split('"')[0]
    assert "06:30 01/12/2026" in client.get("/tai-khoan/hop-thu/" + path).content.decode()


def test_mailbox_shows_the_time_of_a_message_as_django_writes_it(client, file_mail):
    from django.utils import timezone

    file_mail("Thư thật", "nội dung")  # no mock: the Date header exactly as the file backend writes it
    listing = client.get("/tai-khoan/hop-thu/").content.decode()
    assert timezone.localtime().strftime("%d/%m/%Y") in listing
