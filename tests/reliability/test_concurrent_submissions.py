"""200 citizens submit at the same moment, over HTTP, to gunicorn on PostgreSQL.

Each goes through the real wizard (applicant, one PDF per component, delivery, review) in its own thread;
all wait at a barrier before "Nộp hồ sơ" so that the final presses collide on the agencies' code
sequences. Then: 200 dossiers, none lost, no code twice, codes gap-free from 0001 per agency and day
(Circular 01/2018/TT-VPCP art. 19), and each citizen sees exactly their own dossier. Time is bounded by
the HTTP timeouts and the barrier's.
"""

import re
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest

from dossiers.constants import DossierAction, DossierStatus
from dossiers.models import Dossier, DossierEvent
from notifications.models import Email
from procedures.models import Procedure
from tests.factories.dossiers import Builder
from tests.support.gunicorn import citizen_session, start_gunicorn, wizard_submit

pytestmark = [pytest.mark.reliability, pytest.mark.integration, pytest.mark.postgres,
              pytest.mark.django_db(transaction=True)]

CITIZENS = 200
CODE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{4})$")


@pytest.fixture
def server(tmp_path, redis_url):
    # Tasks are published to Redis (nobody consumes them here): the web process only queues the e-mails.
    server = start_gunicorn(tmp_path, workers=3, threads=4, CELERY_BROKER_URL=redis_url)
    yield server
    server.stop()


def test_two_hundred_citizens_submit_at_once(server):
    build = Builder()
    # Two receiving agencies; components read now, so that the threads make no query of their own.
    procedures = list(Procedure.objects.prefetch_related("components")
                      .filter(pk__in=[build.procedure().pk, build.procedure().pk]).order_by("pk"))
    citizens = [build.citizen() for _ in range(CITIZENS)]
    sessions = [citizen_session(server, citizen) for citizen in citizens]
    barrier = threading.Barrier(CITIZENS, timeout=300)

    def submit(n):
        citizen = citizens[n]
        applicant = {"applicant_name": citizen.full_name, "applicant_identity": f"0623{n:08d}",
                     "applicant_phone": "0905123456", "applicant_email": citizen.email,
                     "applicant_address": "12 Trần Hưng Đạo", "applicant_province_code": 51,
                     "applicant_commune_code": 23293}
        try:
            response = wizard_submit(sessions[n], server.url, procedures[n % 2], applicant=applicant,
                                     before_submit=barrier.wait)
        except threading.BrokenBarrierError:
            return "stopped", "another citizen failed"
        except Exception as exc:
            barrier.abort()  # the others stop waiting for this one
            return "error", repr(exc)[-1500:]
        return response.status_code, response.headers.get("Location", "")

    with ThreadPoolExecutor(max_workers=CITIZENS) as pool:
        outcomes = list(pool.map(submit, range(CITIZENS)))

    assert not [o for o in outcomes if o[0] == "error"], ([o for o in outcomes if o[0] == "error"][:3],
                                                          server.output()[-3000:])
    assert [status for status, _ in outcomes] == [302] * CITIZENS, server.output()[-3000:]
    dossiers = {d.owner_id: d for d in Dossier.objects.exclude(status=DossierStatus.DRAFT)}
    # None lost: each citizen's final press led to their own submitted dossier.
    assert len(dossiers) == CITIZENS
    for citizen, (_, location) in zip(citizens, outcomes):
        assert location == f"/ho-so/{dossiers[citizen.pk].code}/"
    assert not Dossier.objects.filter(status=DossierStatus.DRAFT).exists()
    # No duplicate code, and the numbers of each agency's day run 0001…N without a gap.
    codes = [d.code for d in dossiers.values()]
    assert len(set(codes)) == CITIZENS
    numbers = defaultdict(list)
    for code in codes:
        match = CODE.match(code)
        numbers[(match["agency"], match["day"])].append(int(match["number"]))
    assert sorted(len(n) for n in numbers.values()) == [CITIZENS // 2, CITIZENS // 2]
    for found in numbers.values():
        assert sorted(found) == list(range(1, len(found) + 1))
    # Every dossier is whole: its files, its submission event, its e-mail queued to the applicant.
    for dossier in dossiers.values():
        assert dossier.files.count() == dossier.procedure.components.count()
    assert DossierEvent.objects.filter(action=DossierAction.SUBMIT).count() == CITIZENS
    assert sorted(Email.objects.filter(kind="dossier_submit").values_list("to", flat=True)) == \
        sorted(c.email for c in citizens)

    # Each citizen sees their dossier in "Hồ sơ của tôi", and nobody else's.
    def my_list(n):
        return sessions[n].get(server.url + "/ho-so/", timeout=60)

    with ThreadPoolExecutor(max_workers=20) as pool:
        pages = list(pool.map(my_list, range(CITIZENS)))
    for citizen, page in zip(citizens, pages):
        assert page.status_code == 200
        shown = set(re.findall(r"\d{3}\.\d{2}\.\d{2}\.H34-\d{6}-\d{4}", page.text))
        assert shown == {dossiers[citizen.pk].code}
    print(f"\n{CITIZENS} submitted, {len(dossiers)} dossiers, 0 lost, {CITIZENS - len(set(codes))} duplicate codes, "
          f"codes per agency/day: {dict((k[0], len(v)) for k, v in numbers.items())}")
