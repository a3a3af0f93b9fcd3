"""The transition table: every allowed move by every role it names, and every other move refused."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dossiers.constants import DossierAction, DossierStatus, FeeStatus
from dossiers.models import DossierEvent
from dossiers.services import dossier_mark_paid, dossier_move
from dossiers.uploads import CheckedFile
from dossiers.workflow import CITIZEN, SYSTEM, TRANSITIONS, MoveNotAllowed
from notifications.models import Email
from procedures.constants import StaffRole

from tests.factories.dossiers import pdf_upload

ALL_ROLES = [CITIZEN, SYSTEM, StaffRole.RECEIVE.value, StaffRole.PROCESS.value, StaffRole.APPROVE.value]


def _actor(build, dossier, role):
    if role == CITIZEN:
        return dossier.owner
    if role == SYSTEM:
        return None
    return build.clerk(dossier.agency, roles=[role])


def _move_kwargs(action):
    kwargs = {"note": "Thiếu bản sao giấy tờ, vui lòng bổ sung."}
    if action in (DossierAction.FINISH, DossierAction.ANSWER_SUPPLEMENT):
        upload = pdf_upload("ket-qua.pdf")
        kwargs["files"] = [CheckedFile(upload=upload, original_name="ket-qua.pdf", extension="pdf", size=upload.size)]
    if action == DossierAction.EXTEND:
        kwargs["due_date"] = timezone.localdate() + timedelta(days=30)
    return kwargs


ALLOWED = [(state, action, role) for (state, action), move in TRANSITIONS.items() for role in sorted(move.roles)]


@pytest.mark.parametrize(("state", "action", "role"), ALLOWED, ids=lambda v: str(getattr(v, "name", v)))
def test_every_allowed_move_changes_state_records_event_and_queues_email(build, state, action, role):
    dossier = build.dossier(state)
    if action in (DossierAction.REQUEST_PAYMENT, DossierAction.MARK_PAID):  # only a fee owed is asked for or paid
        dossier.fee_total, dossier.payment_status = 50_000, FeeStatus.UNPAID
        dossier.save()
    if state == DossierStatus.DRAFT:
        dossier.code = None
        dossier.save()
    actor = _actor(build, dossier, role)

    moved = dossier_move(dossier=dossier, action=action, actor=actor, **_move_kwargs(action))

    dossier.refresh_from_db()
    assert moved.status == dossier.status == TRANSITIONS[(state, action)].to
    event = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        action, state, dossier.status, actor,
    )
    # A payment recorded without a move is told by the payment's own e-mail, not by a dossier one.
    told = Email.objects.filter(to=dossier.owner.email, kind=f"dossier_{action}").exists()
    assert told == TRANSITIONS[(state, action)].notify


OTHERS = ["other_citizen", "other_agency_clerk"]


@pytest.mark.parametrize("role", ALL_ROLES + OTHERS)
@pytest.mark.parametrize("state", list(DossierStatus), ids=lambda s: s.name)
def test_every_move_not_in_the_table_is_refused_and_changes_nothing(build, state, role):
    dossier = build.dossier(state)
    if role == "other_citizen":
        actor = build.citizen()
    elif role == "other_agency_clerk":
        actor = build.clerk(build.agency())
    else:
        actor = _actor(build, dossier, role)
    refused = [
        action
        for action in DossierAction
        if role in OTHERS or (state, action) not in TRANSITIONS or role not in TRANSITIONS[(state, action)].roles
    ]
    assert refused
    for action in refused:
        with pytest.raises(MoveNotAllowed):
            dossier_move(dossier=dossier, action=action, actor=actor, **_move_kwargs(action))
    dossier.refresh_from_db()
    assert dossier.status == state
    assert not DossierEvent.objects.filter(dossier=dossier).exists()


def test_refusal_needs_a_reason(build):
    dossier = build.dossier(DossierStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        dossier_move(dossier=dossier, action=DossierAction.REFUSE, actor=build.clerk(dossier.agency), note="  ")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED


def test_reception_sets_due_date_and_attaches_the_receipt(build, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(timezone.datetime(2026, 11, 2, 9, 0)))
    procedure = build.procedure(days=5)
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    dossier = dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(dossier.agency))
    assert dossier.due_date == date(2026, 11, 9)
    email = Email.objects.get(kind="dossier_receive")
    assert email.attachment_builder == "dossiers.pdf.receipt_attachment"
    assert "09/11/2026" in email.subject


def test_pay_first_procedure_waits_for_payment_after_reception_and_resumes_when_paid(build):
    procedure = build.procedure(pay_first=True, fees=[150000])
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure, payment_status=FeeStatus.UNPAID, fee_total=150000)
    dossier = dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(dossier.agency))
    assert dossier.status == DossierStatus.PAYMENT

    assert dossier_mark_paid(dossier=dossier, online=True) is True
    assert dossier_mark_paid(dossier=dossier, online=True) is False  # a repeated gateway callback changes nothing
    dossier.refresh_from_db()
    assert dossier.paid_online and dossier.paid_at is not None
    dossier.refresh_from_db()
    assert (dossier.status, dossier.payment_status) == (DossierStatus.PROCESSING, FeeStatus.PAID)
    assert list(dossier.events.values_list("action", flat=True)) == ["receive", "request_payment", "mark_paid"]


def test_extension_sends_the_apology_letter_with_the_new_date(build):
    dossier = build.dossier(DossierStatus.PROCESSING, due_date=timezone.localdate() - timedelta(days=2))
    assert dossier.is_overdue
    new_date = timezone.localdate() + timedelta(days=10)
    dossier_move(
        dossier=dossier, action=DossierAction.EXTEND, actor=build.clerk(dossier.agency), note="Cần xác minh thực địa.",
        due_date=new_date,
    )
    dossier.refresh_from_db()
    assert dossier.due_date == new_date and not dossier.is_overdue
    letter = Email.objects.get(kind="dossier_extend")
    assert "Phiếu xin lỗi" in letter.subject
    assert new_date.strftime("%d/%m/%Y") in letter.body_text and "xác minh thực địa" in letter.body_text


def test_clerk_records_a_counter_payment_with_its_time_as_the_webhook_does(build):
    dossier = build.dossier(DossierStatus.PAYMENT, payment_status=FeeStatus.UNPAID, fee_total=100000)
    dossier_move(dossier=dossier, action=DossierAction.MARK_PAID, actor=build.clerk(dossier.agency, roles=[StaffRole.RECEIVE]))
    dossier.refresh_from_db()
    assert (dossier.status, dossier.payment_status) == (DossierStatus.PROCESSING, FeeStatus.PAID)
    assert dossier.paid_at is not None and not dossier.paid_online


def test_a_fee_paid_online_before_it_is_asked_for_is_recorded_and_the_state_stays(build):
    dossier = build.dossier(DossierStatus.RECEIVED, payment_status=FeeStatus.UNPAID, fee_total=100000)
    assert dossier_mark_paid(dossier=dossier, online=True, note="VNPay KT1") is True
    assert dossier_mark_paid(dossier=dossier, online=True, note="VNPay KT1") is False
    dossier.refresh_from_db()
    assert (dossier.status, dossier.payment_status, dossier.paid_online) == (
        DossierStatus.RECEIVED, FeeStatus.PAID, True)
    event = dossier.events.get()
    assert (event.action, event.from_status, event.to_status, event.note) == (
        "mark_paid", DossierStatus.RECEIVED, DossierStatus.RECEIVED, "VNPay KT1")
    assert not Email.objects.filter(kind="dossier_mark_paid").exists()


def test_a_clerk_cannot_mark_paid_twice(build):
    dossier = build.dossier(DossierStatus.PAYMENT, payment_status=FeeStatus.PAID, fee_total=100000)
    with pytest.raises(MoveNotAllowed):
        dossier_move(dossier=dossier, action=DossierAction.MARK_PAID, actor=build.clerk(dossier.agency))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PAYMENT and not dossier.events.exists()


# How the README's role table names each move a clerk makes (issue 26: "whose turn it is" was written in the
# workflow table, the work queue, the roles' text and the README, and they disagreed).
A = DossierAction
README_WORDS = {
    A.RECEIVE: "receive", A.REFUSE: "refuse", A.REQUEST_SUPPLEMENT: "request a supplement",
    A.REQUEST_PAYMENT: "or a fee", A.MARK_PAID: "confirm a fee paid", A.RETURN_RESULT: "return the result",
    A.START: "start", A.EXTEND: "extend", A.STOP: "stop", A.FINISH: "finish",
}


@pytest.mark.parametrize("role, group", [("receive", "Cán bộ tiếp nhận"), ("process", "Chuyên viên xử lý"),
                                         ("approve", "Lãnh đạo phê duyệt")])
def test_the_readme_says_whose_turn_it_is_as_the_table_does(role, group):
    from tests.conftest import ROOT

    row = next(line for line in (ROOT / "README.md").read_text().splitlines() if f"| {group} |" in line)
    may = row.split("|")[3].split(";")[-1]  # after "read its agencies' dossiers…;": the moves
    named = {action for action, words in README_WORDS.items() if re.search(rf"\b{words}\b", may)}
    assert named == {action for (_, action), move in TRANSITIONS.items() if role in move.roles}, row
