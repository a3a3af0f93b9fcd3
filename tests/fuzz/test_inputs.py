"""Property-based input tests (hypothesis): whatever a browser or a script sends, the portal answers
without a server error, and a rejected input changes no row."""

import json
import os

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from dossiers.constants import DossierStatus
from dossiers.models import Dossier, DossierEvent
from notifications.models import Email
from tests.accounts.conftest import citizen_post
from tests.factories.dossiers import Builder
from tests.fuzz.strategies import FUZZ, any_json, any_text, field_value, huge_text, post_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("captcha_passes")]

def _counts():
    return (User.objects.count(), Email.objects.count(), Dossier.objects.count(), DossierEvent.objects.count())


REGISTRATION_FIELDS = ["loai", "full_name", "date_of_birth", "gender", "identity_number", "phone", "email",
                       "province_code", "commune_code", "street_address", "password1", "password2", "captcha_1"]


@FUZZ
@given(overrides=st.dictionaries(st.sampled_from(REGISTRATION_FIELDS), field_value, min_size=1, max_size=5),
       bad_field=st.sampled_from(["identity_number", "phone", "email", "date_of_birth", "password2"]),
       bad_value=st.one_of(st.text(max_size=40), st.just("x" * 3000)))
def test_registration_never_fails_and_a_rejected_form_writes_nothing(overrides, bad_field, bad_value):
    client = Client()
    # At least one field is invalid for sure: a mismatched password, or a malformed identity, phone, e-mail or date.
    base = citizen_post(**{bad_field: bad_value + "\x07" if bad_field != "password2" else "not-the-same-" + bad_value})
    before = _counts()
    response = client.post("/tai-khoan/dang-ky/", post_data(base, overrides))
    assert response.status_code in (200, 302, 400)
    if response.status_code == 200:  # sent back with errors: nothing was written
        assert _counts() == before


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["q", "agency", "field", "level", "page"]), any_text, max_size=5))
def test_catalogue_parameters_never_fail(params):
    assert Client().get("/thu-tuc/", params).status_code == 200


@FUZZ
@given(code=any_text, key=any_text)
def test_lookup_never_fails_and_reveals_nothing_without_the_key(code, key):
    response = Client(REMOTE_ADDR="198.51.100.7").post("/tra-cuu-ho-so/", {"code": code, "key": key})
    assert response.status_code in (200, 404, 429)  # the form again, "not found", or "too many tries"
    assert "Quá trình xử lý" not in response.content.decode()


@pytest.fixture
def draft(db):
    build = Builder()
    procedure = build.procedure()
    citizen = build.citizen()
    client = Client()
    client.force_login(citizen)
    client.get(f"/ho-so/nop/{procedure.code}/")
    return client, Dossier.objects.get(owner=citizen, status=DossierStatus.DRAFT)


APPLICANT_FIELDS = ["applicant_name", "applicant_identity", "applicant_phone", "applicant_email",
                    "applicant_address", "applicant_province_code", "applicant_commune_code", "on_behalf"]


@FUZZ
@given(overrides=st.dictionaries(st.sampled_from(APPLICANT_FIELDS), field_value, min_size=1, max_size=6))
def test_submission_step_one_never_fails_and_a_rejected_form_keeps_the_draft(draft, overrides):
    client, dossier = draft
    before = Dossier.objects.values().get(pk=dossier.pk)
    response = client.post(f"/ho-so/soan/{dossier.uuid}/buoc-1/", post_data({}, overrides))
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # errors shown next to the fields: the saved draft is untouched
        after = Dossier.objects.values().get(pk=dossier.pk)
        assert {k: v for k, v in after.items() if k != "updated_at"} == \
               {k: v for k, v in before.items() if k != "updated_at"}


@FUZZ
@given(name=any_text, content=st.binary(max_size=2048), step=st.sampled_from([2, 3, 4]),
       extra=st.dictionaries(st.sampled_from(["action", "hand_in_method", "result_method", "confirm", "captcha_1",
                                              "result_address"]), any_text, max_size=4))
def test_later_steps_never_fail_on_arbitrary_files_and_fields(draft, name, content, step, extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, dossier = draft
    component = dossier.procedure.components.first()
    data = dict(extra)
    if step == 2 and component is not None:
        # The test client sends the name as a browser would; Django refuses to build a file named "/" or "..".
        safe = name[:200] if os.path.basename(name[:200]) not in {"", ".", ".."} else f"x{name[:200]}y"
        data[f"files_{component.pk}"] = SimpleUploadedFile(safe, content)
    response = client.post(f"/ho-so/soan/{dossier.uuid}/buoc-{step}/", data)
    assert response.status_code in (200, 302, 400, 413)
    assert not Dossier.objects.exclude(status=DossierStatus.DRAFT).exists()  # never submitted by junk


def _draft_row(dossier):
    return {k: v for k, v in Dossier.objects.values().get(pk=dossier.pk).items() if k != "updated_at"}


raw_bodies = st.one_of(
    st.binary(max_size=400),
    any_json.map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"", b"--xyz\r\nContent-Disposition: form-data; name=\"files_1\"; filename=\"a.pdf\"\r\n\r\n%PDF",
                     b"--xyz--", b"a=" + b"9" * 200_000, b"applicant_name=%00&applicant_phone=%FF%FE",
                     b"confirm=on&confirm=off&captcha_0=&captcha_1=PASSED&action=next"]),
)


@FUZZ
@given(step=st.sampled_from([1, 2, 3, 4, 0, 5, 99]), body=raw_bodies,
       content_type=st.sampled_from(["application/json", "text/plain", "multipart/form-data; boundary=xyz",
                                     "multipart/form-data", "application/x-www-form-urlencoded",
                                     "application/x-www-form-urlencoded; charset=latin-1", ""]))
def test_wizard_steps_never_fail_on_malformed_bodies_and_keep_the_draft(draft, step, body, content_type):
    """A script (or a broken browser) posts anything to any step: never a server error, nothing saved."""
    client, dossier = draft
    before = _draft_row(dossier)
    response = client.generic("POST", f"/ho-so/soan/{dossier.uuid}/buoc-{step}/", body, content_type=content_type)
    assert response.status_code in (200, 302, 400, 404, 413)
    assert _draft_row(dossier) == before
    assert not dossier.files.exists()


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["submit_method", "submit_address", "result_method", "result_address"]),
                            st.one_of(field_value, huge_text), max_size=4))
def test_delivery_step_never_fails_on_wrong_or_missing_values(draft, data):
    client, dossier = draft
    dossier.wizard_step = 2  # files done: the delivery step is open
    dossier.save(update_fields=["wizard_step"])
    before = _draft_row(dossier)
    response = client.post(f"/ho-so/soan/{dossier.uuid}/buoc-3/", {k: v for k, v in data.items() if v is not None})
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # errors next to the fields: the saved choices are untouched
        assert _draft_row(dossier) == before
    assert not Dossier.objects.exclude(status=DossierStatus.DRAFT).exists()
