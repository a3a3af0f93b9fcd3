"""The clerk's day: the admin index opens on a work queue with counts for the clerk's agencies and roles."""

import re
from datetime import timedelta

from django.utils import timezone

from dossiers.calendar import add_working_days
from dossiers.constants import DossierStatus
from procedures.constants import StaffRole
from tests.support.otp import login_verified

CHANGELIST = "/admin/dossiers/dossier/"


def _counts(page: str) -> dict[str, int]:
    return {key: int(n) for key, n in re.findall(
        r'id="queue-(\w+)">\s*<span class="work-queue-count">(\d+)</span>', page)}


def _day(build, agency):
    """An agency's dossiers in every bucket, plus another agency's that must not be counted."""
    procedure = build.procedure(agencies=[agency])
    today = timezone.localdate()
    made = {
        "submitted": [build.dossier(DossierStatus.SUBMITTED, procedure=procedure) for _ in range(3)],
        "processing": build.dossier(DossierStatus.PROCESSING, procedure=procedure,
                                    due_date=add_working_days(today, 10)),
        "due_soon": build.dossier(DossierStatus.PROCESSING, procedure=procedure, due_date=add_working_days(today, 2)),
        "late": build.dossier(DossierStatus.RECEIVED, procedure=procedure, due_date=today - timedelta(days=3)),
        "supplement": build.dossier(DossierStatus.SUPPLEMENT, procedure=procedure, due_date=today - timedelta(days=3)),
        "done": build.dossier(DossierStatus.DONE, procedure=procedure),
    }
    build.dossier(DossierStatus.SUBMITTED)  # another agency's
    return made


def test_a_receiving_clerk_sees_what_to_receive_and_return(client, build):
    agency = build.agency()
    made = _day(build, agency)
    login_verified(client, build.clerk(agency, roles=[StaffRole.RECEIVE]))
    page = client.get("/admin/").content.decode()
    assert "Việc cần làm hôm nay" in page
    counts = _counts(page)
    assert counts == {"receive": 3, "due_soon": 1, "overdue": 1, "citizen": 1, "return": 1}  # no "in progress"

    listed = client.get(CHANGELIST, {"hang": "receive"}).content.decode()
    assert all(d.code in listed for d in made["submitted"]) and made["done"].code not in listed
    overdue = client.get(CHANGELIST, {"hang": "overdue"}).content.decode()
    assert made["late"].code in overdue and made["supplement"].code not in overdue  # the clock stopped


def test_a_processing_clerk_sees_work_in_progress_and_deadlines(client, build):
    agency = build.agency()
    made = _day(build, agency)
    login_verified(client, build.clerk(agency, roles=[StaffRole.PROCESS]))
    counts = _counts(client.get("/admin/").content.decode())
    assert counts == {"progress": 3, "due_soon": 1, "overdue": 1, "citizen": 1}
    soon = client.get(CHANGELIST, {"hang": "due_soon"}).content.decode()
    assert made["due_soon"].code in soon and made["processing"].code not in soon


def test_the_counts_take_a_bounded_number_of_queries(build, django_assert_max_num_queries):
    from dossiers.selectors import work_queue

    agency = build.agency()
    for _ in range(3):
        _day(build, agency)
    clerk = build.clerk(agency)
    clerk.is_verified = lambda: True
    with django_assert_max_num_queries(3):
        buckets = work_queue(user=clerk)
    assert {b["key"]: b["count"] for b in buckets}["receive"] == 9


def test_a_citizen_or_unverified_session_has_no_queue(build):
    from dossiers.selectors import work_queue

    citizen = build.citizen()
    assert work_queue(user=citizen) == []
