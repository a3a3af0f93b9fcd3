"""Step 2 asks only what the law asks: the case first, a condition's paper only when ticked, papers to show
with their number typed, notes as guidance; on the birth-registration-like procedure (tests/factories/components)."""

import pytest
from django.core.exceptions import ValidationError

from dossiers import selectors, services
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from procedures.constants import ComponentRole, StaffRole
from procedures.models import RequiredComponent

from tests.factories import components as birth
from tests.factories.components import birth_registration, component
from tests.factories.dossiers import padded_pdf, pdf_upload


@pytest.fixture
def procedure(build):
    return birth_registration(build)


@pytest.fixture
def draft(procedure, citizen):
    return services.dossier_draft_get_or_create(user=citizen, procedure=procedure)


def _upload(draft, name, case=None, file_name="giay.pdf"):
    services.dossier_component_files_add(
        dossier=draft, component=component(draft.procedure, name, case), uploads_list=[pdf_upload(file_name)],
        user=draft.owner, max_files=5,
    )


def _normal_case_uploaded(draft):
    """The ordinary case chosen and its two uploads made; returns the draft and its identity paper."""
    draft = services.dossier_case_set(dossier=draft, case=birth.CASE_NORMAL)
    _upload(draft, birth.E_FORM)
    _upload(draft, birth.BIRTH_CERTIFICATE, birth.CASE_NORMAL, "chung-sinh.pdf")
    return draft, component(draft.procedure, birth.IDENTITY_PAPER)


def _names(components):
    return [c.name for c in components]


# --- services ------------------------------------------------------------------------------------------------


def test_a_case_is_required_when_the_procedure_has_several(draft):
    _upload(draft, birth.E_FORM)
    with pytest.raises(ValidationError) as refused:
        services.dossier_files_step_done(dossier=draft)
    assert refused.value.code == "case"
    with pytest.raises(ValidationError):
        services.dossier_case_set(dossier=draft, case="Trường hợp không có trong thủ tục")
    draft = services.dossier_case_set(dossier=draft, case=birth.CASE_ABANDONED)
    assert draft.case == birth.CASE_ABANDONED


def test_only_the_cases_uploads_and_the_online_channel_are_asked(draft):
    draft = services.dossier_case_set(dossier=draft, case=birth.CASE_SURROGACY)
    asked = selectors.dossier_asked(dossier=draft)
    assert _names(asked.mandatory) == [birth.E_FORM, birth.SURROGACY_PAPER, birth.BIRTH_CERTIFICATE]
    assert birth.PAPER_FORM not in _names(asked.components)  # the counter's paper form
    assert birth.ABANDONED_RECORD not in _names(asked.components)
    draft = services.dossier_case_set(dossier=draft, case=birth.CASE_NORMAL)
    assert _names(selectors.dossier_asked(dossier=draft).mandatory) == [birth.E_FORM, birth.BIRTH_CERTIFICATE]


def test_a_conditional_upload_is_asked_only_when_ticked(draft):
    draft, identity = _normal_case_uploaded(draft)
    draft = services.dossier_component_answers_update(dossier=draft, numbers={identity.pk: "062301000123"})
    assert services.dossier_files_complete(dossier=draft) == []
    power = component(draft.procedure, birth.POWER_OF_ATTORNEY)
    draft = services.dossier_component_answers_update(dossier=draft, applies={power.pk: True})
    assert services.dossier_files_complete(dossier=draft) == [power]
    draft = services.dossier_component_answers_update(dossier=draft, applies={power.pk: False})
    assert services.dossier_files_complete(dossier=draft) == []


def test_papers_to_show_and_notes_are_never_uploads(draft):
    draft = services.dossier_case_set(dossier=draft, case=birth.CASE_ABANDONED)
    asked = selectors.dossier_asked(dossier=draft)
    roles = {c.role for c in asked.uploads}
    assert roles == {ComponentRole.UPLOAD}
    assert len(asked.notes) == len(birth.NOTES) and len(asked.shown) == 2
    # Even marked required, a note or a paper to show asks no file.
    RequiredComponent.objects.filter(procedure=draft.procedure).exclude(role=ComponentRole.UPLOAD).update(
        is_required=True
    )
    assert _names(selectors.dossier_asked(dossier=draft).mandatory) == [birth.E_FORM, birth.ABANDONED_RECORD]


def test_the_identity_number_is_checked_and_required(draft):
    draft, identity = _normal_case_uploaded(draft)
    # Shown at the counter, but its number is typed online: until then it is what the dossier lacks.
    assert services.dossier_files_complete(dossier=draft) == [identity]
    for wrong in ("12345", "06230100012a", "0623010001234", "C123456", "CC1234567"):
        with pytest.raises(ValidationError) as refused:
            services.dossier_component_answers_update(dossier=draft, numbers={identity.pk: wrong})
        assert refused.value.message_dict == {str(identity.pk): ["Nhập số định danh cá nhân (12 chữ số) hoặc số hộ chiếu (một chữ cái và 7 hoặc 8 chữ số)."]}
    draft.refresh_from_db()
    assert draft.component_answers == {}  # a refused answer saves nothing
    draft = services.dossier_component_answers_update(dossier=draft, numbers={identity.pk: "062 301 000 123"})
    assert draft.component_answers == {str(identity.pk): {"number": "062301000123"}}
    assert services.dossier_files_complete(dossier=draft) == []
    # The paper is "Hộ chiếu/Thẻ căn cước…": a passport's number is its number too.
    draft = services.dossier_component_answers_update(dossier=draft, numbers={identity.pk: "c 1234567"})
    assert draft.component_answers == {str(identity.pk): {"number": "C1234567"}}
    draft = services.dossier_component_answers_update(dossier=draft, numbers={identity.pk: ""})  # cleared
    assert services.dossier_files_complete(dossier=draft) == [identity]
    residence = component(draft.procedure, birth.RESIDENCE_PAPER)
    with pytest.raises(ValidationError):
        services.dossier_component_answers_update(dossier=draft, numbers={residence.pk: "062301000123"})


def test_changing_the_case_keeps_files_and_answers(draft):
    draft = services.dossier_case_set(dossier=draft, case=birth.CASE_SURROGACY)
    _upload(draft, birth.SURROGACY_PAPER, file_name="mang-thai-ho.pdf")
    power = component(draft.procedure, birth.POWER_OF_ATTORNEY)
    draft = services.dossier_component_answers_update(dossier=draft, applies={power.pk: True})
    draft = services.dossier_case_set(dossier=draft, case=birth.CASE_NORMAL)
    assert draft.files.get().original_name == "mang-thai-ho.pdf"
    assert draft.component_answers == {str(power.pk): {"applies": True}}
    summary = selectors.dossier_component_summary(dossier=draft)
    assert [f.original_name for f in summary["other_files"]] == ["mang-thai-ho.pdf"]
    assert birth.SURROGACY_PAPER not in _names(services.dossier_files_complete(dossier=draft))


def test_one_case_alone_is_not_asked(build, citizen):
    procedure = build.procedure(components=("Tờ khai",))
    procedure.components.update(case="Trường hợp duy nhất")
    draft = services.dossier_draft_get_or_create(user=citizen, procedure=procedure)
    asked = selectors.dossier_asked(dossier=draft)
    assert not asked.case_missing and asked.case == "Trường hợp duy nhất" and _names(asked.mandatory) == ["Tờ khai"]


def test_answers_about_another_procedures_component_are_refused(draft, build):
    other = build.procedure().components.first()
    with pytest.raises(ValidationError):
        services.dossier_component_answers_update(dossier=draft, applies={other.pk: True})


def test_a_submitted_dossier_takes_no_answer(build, procedure, citizen):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure, owner=citizen)
    with pytest.raises(ValidationError):
        services.dossier_case_set(dossier=dossier, case=birth.CASE_NORMAL)
    power = component(procedure, birth.POWER_OF_ATTORNEY)
    with pytest.raises(ValidationError):
        services.dossier_component_answers_update(dossier=dossier, applies={power.pk: True})
    assert Dossier.objects.get(pk=dossier.pk).case == ""


# --- the pages -----------------------------------------------------------------------------------------------


def _step_url(dossier, step):
    return f"/ho-so/soan/{dossier.uuid}/buoc-{step}/"


def _at_step_two(client, draft):
    services.dossier_applicant_update(
        dossier=draft, name=draft.applicant_name, identity=draft.applicant_identity, phone="0905123456",
        email=draft.applicant_email, address="45 Phan Đình Phùng",
    )
    return _step_url(draft, 2)


def _block(page, marker):
    """The HTML of one component's card (from its id to the next card)."""
    start = page.index(marker)
    end = page.find('class="card shadow-sm mb-3', start + 1)
    return page[start:end if end != -1 else None]


def test_step_two_asks_the_case_first(client, draft):
    url = _at_step_two(client, draft)
    page = client.get(url).content.decode()
    assert "Hồ sơ của bạn thuộc trường hợp nào?" in page
    for case in (birth.CASE_NORMAL, birth.CASE_ABANDONED, birth.CASE_SURROGACY):
        assert f'value="{case}"' in page
    assert 'type="file"' not in page and "Lưu và tiếp tục" not in page
    refused = client.post(url, {"action": "case"})
    assert refused.status_code == 400 and "Vui lòng chọn trường hợp của bạn." in refused.content.decode()
    assert client.post(url, {"action": "case", "case": birth.CASE_ABANDONED})["Location"] == url
    page = client.get(url).content.decode()
    assert birth.ABANDONED_RECORD in page and birth.E_FORM in page
    assert birth.SURROGACY_PAPER not in page and birth.PAPER_FORM not in page  # another case; the counter's form
    assert "Đổi trường hợp" in page


def test_step_two_shows_conditions_papers_to_show_and_notes(client, draft):
    url = _at_step_two(client, draft)
    client.post(url, {"action": "case", "case": birth.CASE_NORMAL})
    page = client.get(url).content.decode()
    power = component(draft.procedure, birth.POWER_OF_ATTORNEY)
    identity = component(draft.procedure, birth.IDENTITY_PAPER)
    card = _block(page, f'id="component-{power.pk}"')
    assert birth.POWER_CONDITION in card and "Trường hợp này áp dụng với tôi" in card
    assert f'name="applies_{power.pk}"' in card and "checked" not in card
    assert "Mang theo khi nộp/nhận kết quả" in page
    # The applicant's own identity number is offered for their identity paper.
    assert f'name="number_{identity.pk}" id="number_{identity.pk}" value="062301000123"' in page
    assert f'name="files_{identity.pk}"' not in page  # shown at the counter, never uploaded
    notes = page[page.index('id="notes"'):]
    assert "Lưu ý khi chuẩn bị hồ sơ" in notes and notes.count("<details") >= 2  # the long notes folded
    for note in birth.NOTES:
        assert note[:40] in notes
    assert "Không đặt tên cho trẻ quá dài" in notes


def test_step_two_errors_are_beside_the_fields_and_keep_what_was_typed(client, draft):
    url = _at_step_two(client, draft)
    client.post(url, {"action": "case", "case": birth.CASE_NORMAL})
    power = component(draft.procedure, birth.POWER_OF_ATTORNEY)
    identity = component(draft.procedure, birth.IDENTITY_PAPER)
    e_form = component(draft.procedure, birth.E_FORM)
    certificate = component(draft.procedure, birth.BIRTH_CERTIFICATE, birth.CASE_NORMAL)
    response = client.post(url, {
        "answers": "1", "action": "next", f"applies_{power.pk}": "on", f"number_{identity.pk}": "0623 0100",
        f"files_{e_form.pk}": pdf_upload("to-khai.pdf"),
    })
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nhập số định danh cá nhân (12 chữ số) hoặc số hộ chiếu (một chữ cái và 7 hoặc 8 chữ số)." in page
    assert 'value="0623 0100"' in page  # as typed
    assert "checked" in _block(page, f'id="component-{power.pk}"')  # the tick is kept on screen
    assert draft.files.get().original_name == "to-khai.pdf"  # and the file uploaded with it
    assert "Còn thiếu" not in page  # one problem at a time: the number first

    response = client.post(url, {
        "answers": "1", "action": "next", f"applies_{power.pk}": "on", f"number_{identity.pk}": "062301000123",
        f"files_{certificate.pk}": pdf_upload("chung-sinh.pdf"),
    })
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("Còn thiếu 1 giấy tờ bắt buộc.") == 1
    assert "Vui lòng tải lên giấy tờ này." in _block(page, f'id="component-{power.pk}"')
    assert page.count("Vui lòng tải lên giấy tờ này.") == 1
    alert = page[page.index('alert-danger'):]
    assert len(alert[:alert.index("</div>")]) < 120  # a short line, not a wall of names

    # Not my case after all: untick it and go on.
    response = client.post(url, {"answers": "1", "action": "next", f"number_{identity.pk}": "062301000123"})
    assert response.status_code == 302 and response["Location"] == _step_url(draft, 3)
    draft.refresh_from_db()
    assert draft.component_answers == {str(power.pk): {"applies": False}, str(identity.pk): {"number": "062301000123"}}


def test_a_case_change_lists_the_other_files_as_not_asked(client, draft):
    url = _at_step_two(client, draft)
    client.post(url, {"action": "case", "case": birth.CASE_ABANDONED})
    record = component(draft.procedure, birth.ABANDONED_RECORD)
    client.post(url, {"answers": "1", "action": "upload", f"files_{record.pk}": pdf_upload("bien-ban.pdf")})
    response = client.post(url, {"answers": "1", "action": "case", "case": birth.CASE_NORMAL})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    stray = page[page.index('id="stray-files"'):]
    assert "Tệp không thuộc trường hợp đã chọn" in stray and "bien-ban.pdf" in stray and "Xóa" in stray
    assert draft.files.count() == 1


def test_the_review_the_dossier_page_and_the_receipt_show_the_answers(client, build, draft):
    url = _at_step_two(client, draft)
    client.post(url, {"action": "case", "case": birth.CASE_NORMAL})
    power = component(draft.procedure, birth.POWER_OF_ATTORNEY)
    identity = component(draft.procedure, birth.IDENTITY_PAPER)
    draft.refresh_from_db()
    files = {
        f"files_{c.pk}": pdf_upload(f"{c.pk}.pdf", padded_pdf(str(c.pk).encode()))
        for c in selectors.dossier_asked(dossier=draft).upload_slots
    }
    response = client.post(url, {"answers": "1", "action": "next", f"applies_{power.pk}": "on",
                                 f"number_{identity.pk}": "062301000123", **files})
    assert response.status_code == 302
    client.post(_step_url(draft, 3), {"submit_method": "online", "result_method": "counter"})
    review = client.get(_step_url(draft, 4)).content.decode()
    for text in (birth.CASE_NORMAL, "Có áp dụng", birth.POWER_CONDITION,
                 "062301000123", "Giấy tờ mang theo khi nộp/nhận kết quả"):
        assert text in review, text
    client.post(_step_url(draft, 4), {"confirm": "on", "captcha_0": "x", "captcha_1": "PASSED"})
    draft.refresh_from_db()
    assert draft.status == DossierStatus.SUBMITTED
    detail = client.get(f"/ho-so/{draft.code}/").content.decode()
    assert birth.CASE_NORMAL in detail and "062301000123" in detail and birth.POWER_CONDITION in detail

    from dossiers.pdf import dossier_receipt_pdf, receipt_answer_lines, receipt_shown_lines

    summary = selectors.dossier_component_summary(dossier=draft)
    assert receipt_answer_lines(summary) == [f"Trường hợp: {birth.CASE_NORMAL}",
                                             f"Người nộp kê khai: {birth.POWER_CONDITION}"]
    assert "  Số định danh cá nhân: 062301000123" in receipt_shown_lines(summary)
    services.dossier_move(dossier=draft, action="receive", actor=build.clerk(draft.agency))
    draft.refresh_from_db()
    assert dossier_receipt_pdf(dossier=draft).startswith(b"%PDF")


def test_a_procedure_with_notes_only_says_there_is_nothing_to_upload(client, build, citizen):
    procedure = build.procedure(components=())
    RequiredComponent.objects.create(procedure=procedure, name="Không phải nộp giấy tờ.", role=ComponentRole.NOTE)
    draft = services.dossier_draft_get_or_create(user=citizen, procedure=procedure)
    url = _at_step_two(client, draft)
    page = client.get(url).content.decode()
    assert "Thủ tục này không yêu cầu tải lên giấy tờ nào." in page and 'type="file"' not in page
    assert "Không phải nộp giấy tờ." in page
    assert client.post(url, {"answers": "1", "action": "next"})["Location"] == _step_url(draft, 3)


def test_a_procedure_without_components_goes_on(client, build, citizen):
    draft = services.dossier_draft_get_or_create(user=citizen, procedure=build.procedure(components=()))
    url = _at_step_two(client, draft)
    assert "Thủ tục này không yêu cầu tải lên giấy tờ nào." in client.get(url).content.decode()
    assert client.post(url, {"answers": "1", "action": "next"})["Location"] == _step_url(draft, 3)


def test_the_clerk_sees_the_case_the_conditions_and_the_numbers_in_the_admin(client, build, procedure):
    from tests.support.otp import login_verified

    power = component(procedure, birth.POWER_OF_ATTORNEY)
    identity = component(procedure, birth.IDENTITY_PAPER)
    dossier = build.dossier(
        DossierStatus.SUBMITTED, procedure=procedure, case=birth.CASE_SURROGACY,
        component_answers={str(power.pk): {"applies": True}, str(identity.pk): {"number": "062301000123"}},
    )
    login_verified(client, build.clerk(dossier.agency, roles=[StaffRole.RECEIVE]))
    page = client.get(f"/admin/dossiers/dossier/{dossier.pk}/change/").content.decode()
    assert "Trường hợp" in page and birth.CASE_SURROGACY in page
    assert birth.POWER_CONDITION in page and "Có áp dụng" in page
    assert birth.SURROGACY_PAPER in page and "062301000123" in page
