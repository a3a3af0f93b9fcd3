"""Registration through the web with a real Celery worker on Redis and a real SMTP server."""

import time

import pytest
from django.test import Client

from accounts.models import User
from notifications.models import Email

from .conftest import citizen_post, link_in

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SUBJECT = "Xác nhận đăng ký tài khoản sử dụng Cổng dịch vụ công trực tuyến"


def register_through_the_web(client):
    client.get("/tai-khoan/dang-ky/")
    response = client.post("/tai-khoan/dang-ky/", citizen_post())
    assert response.status_code == 302 and response.url == "/tai-khoan/dang-ky/da-gui/"


def confirm_from(message, client):
    assert " ".join(str(message["Subject"]).split()) == SUBJECT  # unfolded
    assert message["To"] == "hoa.nguyen@example.vn"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert message.get_body(preferencelist=("html",)) is not None
    response = client.get(link_in(text, "/tai-khoan/xac-nhan/"))
    assert response.status_code == 302 and response.url == "/tai-khoan/dang-nhap/"
    assert User.objects.get(email="hoa.nguyen@example.vn").is_active


def test_confirmation_email_arrives_over_smtp_from_the_worker(celery_worker_process, smtp_sink, tasks_on_redis):
    client = Client()
    register_through_the_web(client)
    [message] = smtp_sink.wait_for(lambda m: m["To"] == "hoa.nguyen@example.vn", timeout=60)
    confirm_from(message, client)
    assert Email.objects.get().status == "sent"


def test_smtp_down_at_first_the_task_retries_and_the_email_arrives(celery_worker_process, smtp_sink,
                                                                      tasks_on_redis):
    smtp_sink.refusing = True
    client = Client()
    register_through_the_web(client)
    assert User.objects.filter(email="hoa.nguyen@example.vn", is_active=False).exists()  # nothing lost
    deadline = time.monotonic() + 60
    while not Email.objects.filter(status="failed", attempts__gte=1).exists():
        assert time.monotonic() < deadline, celery_worker_process.output()[-3000:]
        time.sleep(0.2)
    assert smtp_sink.messages == []
    smtp_sink.refusing = False
    [message] = smtp_sink.wait_for(lambda m: m["To"] == "hoa.nguyen@example.vn", timeout=90)
    confirm_from(message, client)
    email = Email.objects.get()
    assert email.status == "sent" and email.attempts >= 2
    assert len(smtp_sink.messages) == 1
