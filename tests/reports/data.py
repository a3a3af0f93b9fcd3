"""A hand-made year of dossiers whose statistics are worked out by hand in test_statistics.py."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from dossiers.constants import DossierStatus as S
from dossiers.constants import FeeStatus, FileKind
from dossiers.models import DossierFile
from tests.factories.dossiers import Builder


def local(year, month, day, hour=9, minute=0) -> datetime:
    """An instant in the portal's time zone (Asia/Ho_Chi_Minh, UTC+7)."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def build_year(builder: Builder, year: int) -> dict:
    """Agencies A and B; dossiers numbered as in the comments of test_statistics.py."""
    a = builder.agency(code="000.00.31.H34", name="Sở Tư pháp")
    b = builder.agency(code="000.00.32.H34", name="Sở Xây dựng")
    pa, pb = builder.procedure(agencies=[a]), builder.procedure(agencies=[b])
    paid_online = {"payment_status": FeeStatus.PAID, "paid_online": True, "paid_at": local(year, 3, 6),
                   "fee_total": 50_000}
    paid_counter = {"payment_status": FeeStatus.PAID, "paid_online": False, "paid_at": local(year, 3, 11),
                    "fee_total": 50_000}
    far = timezone.localdate() + timedelta(days=30)
    rows = [
        # 1: A, March, returned on time, rated 5, paid online
        (pa, S.RETURNED, local(year, 3, 5), date(year, 3, 20), local(year, 3, 18), 5, True, paid_online),
        # 2: A, March, done late, paid at the counter
        (pa, S.DONE, local(year, 3, 10), date(year, 3, 20), local(year, 3, 25), None, True, paid_counter),
        # 3: A, March, at the counter, still processing past its due date: overdue
        (pa, S.PROCESSING, local(year, 3, 28), date(year, 4, 10), None, None, False, {}),
        # 4: A, April, finished 23:30 on the due date (16:30 UTC): on time, rated 3
        (pa, S.RETURNED, local(year, 4, 2), date(year, 4, 20), local(year, 4, 20, 23, 30), 3, True, {}),
        # 5: A, April, finished 00:30 the day after (still the due date in UTC): late, rated 4
        (pa, S.RETURNED, local(year, 4, 15), date(year, 4, 20), local(year, 4, 21, 0, 30), 4, True, {}),
        # 6: B, March, waiting for a supplement past its due date: the clock is stopped, not overdue
        (pb, S.SUPPLEMENT, local(year, 3, 15), date(year, 3, 30), None, None, True, {}),
        # 7: B, April, returned on time, rated 2, paid online
        (pb, S.RETURNED, local(year, 4, 1), date(year, 4, 15), local(year, 4, 10), 2, True, paid_online),
        # 11: A, received 00:30 on 1 January (17:30 UTC on 31 December the year before): January
        (pa, S.RECEIVED, local(year, 1, 1, 0, 30), far, None, None, True, {}),
        # 10: A, received the year before: not in this year's figures
        (pa, S.RETURNED, local(year - 1, 12, 31, 10), date(year, 1, 10), local(year, 1, 5), 1, True, {}),
    ]
    dossiers = []
    for procedure, status, received, due, finished, rating, online, extra in rows:
        dossiers.append(builder.dossier(
            status, procedure=procedure, received_at=received, due_date=due, finished_at=finished,
            returned_at=finished if status == S.RETURNED else None, rating=rating, is_online=online, **extra,
        ))
    # Electronic copies (digitisation): 1 has both required components, 2 the first one only.
    first, second = pa.components.order_by("position")
    for dossier, component in [(dossiers[0], first), (dossiers[0], second), (dossiers[1], first)]:
        DossierFile.objects.create(dossier=dossier, component=component, kind=FileKind.APPLICATION,
                                   file=f"test/{dossier.pk}-{component.pk}.pdf", original_name="giay-to.pdf",
                                   file_type="pdf", size=1000)
    builder.dossier(S.DRAFT, procedure=pa)  # 8: a draft
    builder.dossier(S.SUBMITTED, procedure=pa)  # 9: submitted, not yet received
    return {"a": a, "b": b}
