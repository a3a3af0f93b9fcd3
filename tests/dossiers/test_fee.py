"""The fee's own transition table (issue 26): every move it lists happens and is recorded, every other one is
refused; one rule, `payable`, decides the citizen's pay button, the clerk's buttons and the services."""

import pytest

from dossiers.constants import FEE_FINAL, DossierAction, DossierStatus, FeeStatus
from dossiers.models import DossierFeeEvent
from dossiers.services import dossier_fee_move, dossier_move
from dossiers.workflow import FEE_TRANSITIONS, FeeMoveNotAllowed, MoveNotAllowed, dossier_payable
from procedures.constants import StaffRole
from tests.support.otp import login_verified

CHANGELIST = "/admin/dossiers/dossier/"
PAIRS = [(origin, target) for origin in FeeStatus for target in FeeStatus if origin != target]
PAYABLE = {FeeStatus.UNPAID, FeeStatus.PENDING}


@pytest.mark.parametrize(("origin", "target"), PAIRS, ids=lambda s: s.value)
def test_a_fee_moves_only_as_the_table_says(build, origin, target):
    dossier = build.dossier(DossierStatus.PAYMENT, fee_total=100_000, payment_status=origin)
    clerk = build.clerk(dossier.agency, roles=[StaffRole.RECEIVE])

    if (origin, target) in FEE_TRANSITIONS:
        dossier_fee_move(dossier=dossier, to=target, actor=clerk, note="thử")
    else:
        with pytest.raises(FeeMoveNotAllowed):
            dossier_fee_move(dossier=dossier, to=target, actor=clerk)

    dossier.refresh_from_db()
    moved = (origin, target) in FEE_TRANSITIONS
    assert dossier.payment_status == (target if moved else origin)
    events = list(DossierFeeEvent.objects.filter(dossier=dossier).values_list("from_status", "to_status", "actor", "note"))
    assert events == ([(origin, target, clerk.pk, "thử")] if moved else [])


def test_the_table_is_the_fee_lifecycle():
    assert not [pair for pair in FEE_TRANSITIONS if pair[0] in FEE_FINAL]  # nothing leaves a final state
    paths = {(FeeStatus.UNPAID, FeeStatus.PENDING), (FeeStatus.PENDING, FeeStatus.PAID),
             (FeeStatus.PAID, FeeStatus.PARTLY_REFUNDED), (FeeStatus.PARTLY_REFUNDED, FeeStatus.REFUNDED)}
    assert paths <= FEE_TRANSITIONS
    assert (FeeStatus.REFUNDED, FeeStatus.PAID) not in FEE_TRANSITIONS


def test_submission_fixes_the_fee_unpaid_or_exempt_and_records_it(build):
    from dossiers.services import dossier_submit

    procedure = build.procedure(fees=[50_000])
    owner = build.citizen()
    owed = dossier_submit(dossier=build.ready_draft(procedure=procedure, owner=owner), user=owner)
    exempt_draft = build.ready_draft(procedure=procedure, owner=owner)
    exempt_draft.fee_exempt = True
    exempt_draft.save()
    exempt = dossier_submit(dossier=exempt_draft, user=owner)
    free = dossier_submit(dossier=build.ready_draft(owner=owner), user=owner)

    assert (owed.payment_status, exempt.payment_status, free.payment_status) == (
        FeeStatus.UNPAID, FeeStatus.EXEMPT, FeeStatus.NOT_REQUIRED)
    assert list(owed.fee_events.values_list("from_status", "to_status", "actor")) == [
        (FeeStatus.NOT_REQUIRED, FeeStatus.UNPAID, owner.pk)]
    assert not free.fee_events.exists()
    assert dossier_payable(owed) and not dossier_payable(exempt) and not dossier_payable(free)


@pytest.mark.parametrize("fee", list(FeeStatus), ids=lambda s: s.value)
def test_the_pay_button_on_the_citizens_dossier_page_follows_payable(client, build, fee):
    dossier = build.dossier(DossierStatus.PAYMENT, fee_total=100_000, payment_status=fee,
                            fee_exempt=fee == FeeStatus.EXEMPT)
    client.force_login(dossier.owner)

    page = client.get(f"/ho-so/{dossier.code}/").content.decode()

    assert ("Thanh toán phí/lệ phí" in page) == (fee in PAYABLE)
    assert str(FeeStatus(fee).label) in page


def test_no_pay_button_once_the_dossier_is_stopped(client, build):
    dossier = build.dossier(DossierStatus.STOPPED, fee_total=100_000, payment_status=FeeStatus.UNPAID)
    client.force_login(dossier.owner)
    assert "Thanh toán phí/lệ phí" not in client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert not dossier_payable(dossier)


@pytest.mark.parametrize("fee", list(FeeStatus), ids=lambda s: s.value)
def test_the_clerks_fee_buttons_and_moves_follow_payable(client, build, fee):
    dossier = build.dossier(DossierStatus.PAYMENT, fee_total=100_000, payment_status=fee,
                            fee_exempt=fee == FeeStatus.EXEMPT)
    clerk = build.clerk(dossier.agency, roles=[StaffRole.RECEIVE])
    login_verified(client, clerk)

    page = client.get(f"{CHANGELIST}{dossier.pk}/change/").content.decode()
    assert ("dossier-move-mark_paid" in page) == (fee in PAYABLE)

    done = client.post(f"{CHANGELIST}{dossier.pk}/move/mark_paid/", follow=True).content.decode()

    dossier.refresh_from_db()
    if fee in PAYABLE:
        assert (dossier.status, dossier.payment_status) == (DossierStatus.PROCESSING, FeeStatus.PAID)
        assert "Đã nộp phí, lệ phí" in done
    else:
        assert (dossier.status, dossier.payment_status) == (DossierStatus.PAYMENT, fee)
        assert not dossier.events.exists()


@pytest.mark.parametrize("fee", [FeeStatus.REFUNDED, FeeStatus.EXEMPT, FeeStatus.PARTLY_REFUNDED])
def test_the_services_refuse_to_ask_for_or_record_a_fee_that_is_not_payable(build, fee):
    from django.core.exceptions import ValidationError

    dossier = build.dossier(DossierStatus.RECEIVED, fee_total=100_000, payment_status=fee,
                            fee_exempt=fee == FeeStatus.EXEMPT)
    clerk = build.clerk(dossier.agency, roles=[StaffRole.RECEIVE])
    with pytest.raises(ValidationError):
        dossier_move(dossier=dossier, action=DossierAction.REQUEST_PAYMENT, actor=clerk)
    dossier.status = DossierStatus.PAYMENT
    dossier.save()
    with pytest.raises((ValidationError, MoveNotAllowed)):
        dossier_move(dossier=dossier, action=DossierAction.MARK_PAID, actor=clerk)
    dossier.refresh_from_db()
    assert dossier.payment_status == fee and not dossier.events.exists() and not dossier.fee_events.exists()


def test_the_fee_history_is_shown_to_the_clerk_on_the_dossier(client, build):
    dossier = build.dossier(DossierStatus.PAYMENT, fee_total=100_000, payment_status=FeeStatus.UNPAID)
    clerk = build.clerk(dossier.agency, roles=[StaffRole.RECEIVE])
    dossier_move(dossier=dossier, action=DossierAction.MARK_PAID, actor=clerk)
    login_verified(client, clerk)

    page = client.get(f"{CHANGELIST}{dossier.pk}/change/").content.decode()

    assert "Lịch sử phí, lệ phí" in page
    history = page[page.index("Lịch sử phí, lệ phí"):]
    assert "Chưa thanh toán" in history and "Đã thanh toán" in history and str(clerk) in history
