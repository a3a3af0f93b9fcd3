"""Notices by SMS and Zalo (issue 30 §3): the citizen's opt-in with a verified phone, a status move reaching both
sandboxes over real HTTP through the Celery task (run in-process), retries, a bounded timeout, the texts."""

import re
import time

import pytest
from django.urls import reverse

from dossiers.constants import DossierAction, DossierStatus
from dossiers.services.moves import dossier_move
from notifications.models import Notice, PhoneCode
from tests.notifications.notices_support import behave, last_code, received

PHONE = "0912345678"
PAGE = reverse("accounts:notices")


def opt_in(client, base_url, user, *, phone=PHONE, sms=True, zalo=True):
    """What a citizen does on /tai-khoan/thong-bao/: number, code from the SMS, channels."""
    client.force_login(user)
    client.post(PAGE, {"action": "send_code", "phone": phone})
    response = client.post(PAGE, {"action": "verify", "code": last_code(base_url, phone)}, follow=True)
    assert "Đã xác minh số điện thoại nhận tin." in response.content.decode()
    data = {"action": "save", **({"sms": "on"} if sms else {}), **({"zalo": "on"} if zalo else {})}
    return client.post(PAGE, data, follow=True)


def test_opt_in_with_the_code_sent_by_sms(client, build, providers):
    citizen = build.citizen()
    response = opt_in(client, providers, citizen)
    assert "Đã lưu lựa chọn nhận tin." in response.content.decode()
    page = client.get(PAGE).content.decode()
    assert "Đã xác minh: <strong>0912345678</strong>" in page
    code_sms = received(providers, "sms")[-1]
    assert code_sms[0] == PHONE and re.search(r"Ma xac minh .* \d{6} ", code_sms[1])
    # The outbox keeps the verification SMS masked; the code is nowhere but in its keyed hash.
    stored = Notice.objects.get(kind="code")
    assert "******" in stored.text and stored.status == "sent"
    assert last_code(providers, PHONE) not in PhoneCode.objects.get().code_hash


def test_a_wrong_code_is_refused_next_to_the_field_and_counted(client, build, providers):
    citizen = build.citizen()
    client.force_login(citizen)
    client.post(PAGE, {"action": "send_code", "phone": "+84 912 345 678"})
    right = last_code(providers, PHONE)
    wrong = "000000" if right != "000000" else "111111"
    page = client.post(PAGE, {"action": "verify", "code": wrong}).content.decode()
    assert "Mã xác minh không đúng. Bạn còn 4 lần thử." in page
    assert f'value="{wrong}"' in page  # what was typed stays
    for _ in range(4):
        page = client.post(PAGE, {"action": "verify", "code": wrong}).content.decode()
    assert "Bạn đã nhập sai quá nhiều lần." in page
    page = client.post(PAGE, {"action": "verify", "code": right}).content.decode()
    assert "Bạn đã nhập sai quá nhiều lần." in page  # the right code no longer opens it
    assert "Đã xác minh:" not in client.get(PAGE).content.decode()


def test_an_expired_code_is_refused(client, build, providers):
    citizen = build.citizen()
    client.force_login(citizen)
    client.post(PAGE, {"action": "send_code", "phone": PHONE})
    PhoneCode.objects.update(expires_at=PhoneCode.objects.get().created_at)  # its five minutes are over
    page = client.post(PAGE, {"action": "verify", "code": last_code(providers, PHONE)}).content.decode()
    assert "Mã đã hết hạn." in page


def test_codes_are_rate_limited_and_a_bad_number_is_explained(client, build, providers):
    citizen = build.citizen()
    client.force_login(citizen)
    page = client.post(PAGE, {"action": "send_code", "phone": "12345"}).content.decode()
    assert "Nhập số điện thoại di động Việt Nam gồm 10 chữ số" in page and 'value="12345"' in page
    for _ in range(3):
        client.post(PAGE, {"action": "send_code", "phone": PHONE})
    page = client.post(PAGE, {"action": "send_code", "phone": PHONE}).content.decode()
    assert "Đã gửi mã quá nhiều lần." in page
    assert len(received(providers, "sms")) == 3


def test_channels_need_a_verified_number_and_zalo_a_follower(client, build, providers):
    citizen = build.citizen()
    client.force_login(citizen)
    page = client.post(PAGE, {"action": "save", "sms": "on"}).content.decode()
    assert "Hãy xác minh số điện thoại trước khi bật nhận tin." in page
    page = opt_in(client, providers, citizen, phone="0912345000").content.decode()  # not a follower of the OA
    assert "chưa quan tâm Zalo OA" in page


def _received_by_clerk(build, citizen):
    dossier = build.dossier(DossierStatus.SUBMITTED, owner=citizen)
    clerk = build.clerk(dossier.agency)
    return dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=clerk)


def test_a_status_move_reaches_both_sandboxes_without_personal_data(client, build, providers):
    citizen = build.citizen()
    opt_in(client, providers, citizen)
    dossier = _received_by_clerk(build, citizen)
    sms_to, sms = received(providers, "sms")[0]
    zalo_to, zalo = received(providers, "zalo")[0]
    assert sms_to == PHONE and zalo_to.isdigit()
    link = f"https://dichvucong.kontum.gov.vn/ho-so/{dossier.code}/"
    assert sms == f"Ho so {dossier.code}: Duoc tiep nhan. Xem: {link}" and len(sms) <= 160 and sms.isascii()
    assert zalo == f"Hồ sơ {dossier.code}: Được tiếp nhận. Xem: {link}"
    for text in (sms, zalo):
        for personal in (citizen.full_name, "Nguyen Van Thu", citizen.identity_number, "Trần Hưng Đạo",
                         "Tran Hung Dao", citizen.email, PHONE):
            assert personal not in text
    assert set(Notice.objects.filter(kind="status").values_list("channel", "status")) == {("sms", "sent"),
                                                                                         ("zalo", "sent")}


def test_an_english_speaking_citizen_gets_english(client, build, providers):
    citizen = build.citizen(language="en")
    opt_in(client, providers, citizen)
    dossier = _received_by_clerk(build, citizen)
    assert received(providers, "sms")[0][1].startswith(f"Dossier {dossier.code}: Received. ")
    assert received(providers, "zalo")[0][1].startswith(f"Dossier {dossier.code}: Received. ")


def test_a_failing_provider_is_retried_until_it_delivers(client, build, providers):
    citizen = build.citizen()
    opt_in(client, providers, citizen)
    behave(providers, "sms", "fail", times=2)  # CodeResult 99 twice
    behave(providers, "zalo", "down", times=1)  # HTTP 503 once
    dossier = _received_by_clerk(build, citizen)
    assert [t for _, t in received(providers, "sms") if dossier.code in t] != []
    assert len([t for _, t in received(providers, "zalo") if dossier.code in t]) == 1
    sms, zalo = Notice.objects.get(channel="sms", kind="status"), Notice.objects.get(channel="zalo")
    assert (sms.status, sms.attempts, zalo.status, zalo.attempts) == ("sent", 3, "sent", 2)


def test_a_provider_that_does_not_answer_holds_a_send_no_longer_than_the_timeout(client, build, providers, settings):
    citizen = build.citizen()
    opt_in(client, providers, citizen, zalo=False)
    settings.NOTICE_SANDBOX_HANG_SECONDS = 8
    behave(providers, "sms", "timeout", times=1)  # holds the request 8 s; the client waits 1.5 s
    started = time.monotonic()
    dossier = _received_by_clerk(build, citizen)
    elapsed = time.monotonic() - started
    notice = Notice.objects.get(kind="status")
    assert notice.status == "sent" and notice.attempts == 2
    assert 1.5 < elapsed < 5, elapsed  # the 8 s were not waited (the move's e-mail and receipt take the rest)
    assert len([t for _, t in received(providers, "sms") if dossier.code in t]) == 1


def _operator_client():
    from django.contrib.auth.models import Group
    from django.test import Client

    from accounts.models import User
    from accounts.roles import OPERATOR
    from tests.support.otp import login_verified

    operator = User.objects.create_user("operator@kontum.gov.vn", "x-Secret-123", is_active=True, is_staff=True)
    operator.groups.add(Group.objects.get(name=OPERATOR.group))
    client = Client()
    login_verified(client, operator)
    return client


def test_a_refused_notice_stays_failed_and_the_operator_resends_it(client, build, providers):
    citizen = build.citizen()
    opt_in(client, providers, citizen, zalo=False)
    behave(providers, "sms", "reject", times=1)  # CodeResult 103, no credit: not retried
    dossier = _received_by_clerk(build, citizen)
    notice = Notice.objects.get(kind="status")
    assert notice.status == "failed" and notice.attempts == 1 and "CodeResult 103" in notice.last_error
    admin_client = _operator_client()  # the province's operator (least privilege: view and resend)
    listing = admin_client.get(reverse("admin:notifications_notice_changelist")).content.decode()
    assert "CodeResult 103" in listing and "0912***678" in listing and PHONE not in listing
    response = admin_client.post(reverse("admin:notifications_notice_changelist"),
                                 {"action": "resend", "_selected_action": [notice.pk]}, follow=True)
    assert "Đã xếp 1 tin vào hàng đợi gửi lại." in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.attempts == 2
    assert len([t for _, t in received(providers, "sms") if dossier.code in t]) == 1
