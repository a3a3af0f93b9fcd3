"""Parallel uploads into one draft, over HTTP to gunicorn on PostgreSQL: each limit holds.

Eight clients of the same citizen wait at a barrier and then post one file each. The slot's file count,
the dossier's total size and the "same bytes once" rule are checked again under the dossier's row lock,
so exactly as many files as the limit allows are kept, and a refused file leaves no row and no stored object.
Each scenario runs ROUNDS times on fresh drafts in one gunicorn.
"""

from functools import partial
from pathlib import Path

import pytest
from django.conf import settings

from dossiers import services
from dossiers.constants import FileKind
from dossiers.models import DossierFile
from tests.factories.dossiers import Builder
from tests.support.gunicorn import citizen_session, csrf_post, start_gunicorn
from tests.support.threads import run_together

pytestmark = [pytest.mark.reliability, pytest.mark.integration, pytest.mark.postgres,
              pytest.mark.django_db(transaction=True)]

CLIENTS = 8
ROUNDS = 3
MAX_FILES = 3
PDF_HEAD, PDF_TAIL = b"%PDF-1.4\n%", b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(n: int, size: int = 0) -> bytes:
    """A distinct PDF per n (different bytes, so the duplicate rule does not interfere), padded to `size`."""
    body = f"{n:08d}".encode()
    return PDF_HEAD + body + b"0" * max(0, size - len(body)) + PDF_TAIL


@pytest.fixture
def server(tmp_path):
    server = start_gunicorn(tmp_path, workers=3, threads=4, DOSSIER_MAX_FILES_PER_COMPONENT=str(MAX_FILES),
                            DOSSIER_MAX_TOTAL_MB="1")
    yield server
    server.stop()


def _draft(build, citizen, procedure):
    draft = services.dossier_draft_get_or_create(user=citizen, procedure=procedure)
    draft.wizard_step = 1
    draft.save(update_fields=["wizard_step"])
    return draft


def _post_together(server, citizen, draft, uploads):
    """uploads: one (slot, filename, bytes) per client, all sent at the same moment."""
    sessions = [citizen_session(server, citizen) for _ in uploads]
    url = f"{server.url}/ho-so/soan/{draft.uuid}/buoc-2/"
    for session in sessions:
        session.get(url, timeout=60)  # the CSRF cookie

    def post(session, slot, name, content):
        response = csrf_post(session, url, {"action": "upload"},
                             files={f"files_{slot.pk}": (name, content, "application/pdf")})
        return response.status_code, response.text

    return run_together(*[partial(post, session, *upload) for session, upload in zip(sessions, uploads)],
                        timeout=120, raise_errors=True)


def _stored_objects(draft) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "dossiers" / str(draft.uuid)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _rows_match_objects(draft):
    rows = list(DossierFile.objects.filter(dossier=draft, kind=FileKind.APPLICATION))
    objects = _stored_objects(draft)
    assert sorted(Path(settings.MEDIA_ROOT) / r.file.name for r in rows) == objects  # no orphan, no missing
    return rows


def test_eight_parallel_uploads_into_one_slot_keep_exactly_the_limit(server):
    build = Builder()
    procedure = build.procedure(components=("Đơn đề nghị",))
    slot = procedure.components.get()
    for round_ in range(ROUNDS):
        citizen = build.citizen()
        draft = _draft(build, citizen, procedure)
        outcomes = _post_together(server, citizen, draft, [(slot, f"trang-{n}.pdf", pdf(round_ * 100 + n)) for n in range(CLIENTS)])
        statuses = sorted(status for status, _ in outcomes)
        assert statuses == [302] * MAX_FILES + [400] * (CLIENTS - MAX_FILES), (round_, statuses, server.output()[-2000:])
        assert all(f"tối đa {MAX_FILES} tệp" in text for status, text in outcomes if status == 400)
        assert len(_rows_match_objects(draft)) == MAX_FILES


def test_parallel_uploads_across_slots_stay_within_the_dossier_total(server):
    build = Builder()
    procedure = build.procedure(components=tuple(f"Thành phần {n}" for n in range(CLIENTS)))
    slots = list(procedure.components.order_by("position", "pk"))
    size = 300 * 1024  # three fit in 1 MB, a fourth does not
    for round_ in range(ROUNDS):
        citizen = build.citizen()
        draft = _draft(build, citizen, procedure)
        outcomes = _post_together(server, citizen, draft,
                                  [(slots[n], f"ban-ve-{n}.pdf", pdf(round_ * 100 + n, size)) for n in range(CLIENTS)])
        statuses = sorted(status for status, _ in outcomes)
        assert statuses == [302] * 3 + [400] * (CLIENTS - 3), (round_, statuses, server.output()[-2000:])
        assert all("Tổng dung lượng hồ sơ vượt quá 1 MB" in text for status, text in outcomes if status == 400)
        rows = _rows_match_objects(draft)
        assert sum(r.size for r in rows) <= 1024 * 1024 and len(rows) == 3


def test_the_same_bytes_sent_in_parallel_to_several_slots_are_kept_once(server):
    build = Builder()
    procedure = build.procedure(components=tuple(f"Thành phần {n}" for n in range(CLIENTS)))
    slots = list(procedure.components.order_by("position", "pk"))
    for round_ in range(ROUNDS):
        citizen = build.citizen()
        draft = _draft(build, citizen, procedure)
        same = pdf(9000 + round_)
        outcomes = _post_together(server, citizen, draft, [(slots[n], f"ban-sao-{n}.pdf", same) for n in range(CLIENTS)])
        statuses = sorted(status for status, _ in outcomes)
        assert statuses == [302] + [400] * (CLIENTS - 1), (round_, statuses, server.output()[-2000:])
        assert all("trùng nội dung" in text for status, text in outcomes if status == 400)
        assert len(_rows_match_objects(draft)) == 1
