"""/thong-ke/chi-so/ and /thong-ke/ agree with the dossiers they count: every indicator of the service index
recomputed from the dossiers, their files and their payments in plain SQL, written from the indicators'
definitions (reports/service_index.py) apart from the app's selectors and its figure tables, for a generated
province: four agencies, November to February across the new year, online and counter dossiers, results by
e-copy, post and counter, fees paid online, at the counter or exempt, overdue and on time, supplements, cases
and conditions. The figures are kept the way the moves keep them (figures_refresh, one dossier at a time) and
read from the pages a visitor opens.
"""

import random
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from dossiers.constants import DossierStatus as S
from dossiers.constants import FeeStatus, FileKind, ResultMethod
from dossiers.models import DossierFile
from payments.constants import PaymentStatus
from payments.models import Payment
from procedures.constants import Channel, ComponentRole, OnlineLevel
from procedures.models import RequiredComponent
from reports.services import figures_reconcile, figures_refresh
from tests.factories.dossiers import Builder
from wallet.models import Origin, WalletUse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = timezone.localdate()
LAST = TODAY.year - 1
MONTHS = [(LAST, 11), (LAST, 12), (TODAY.year, 1), (TODAY.year, 2)]

# Written from the docstrings of reports/service_index.py and Decision 766, not from reports/services.py: a
# dossier counts in the (local) month and the agency that received it; its outcome is what happened since.
SQL = """
WITH received AS (
    SELECT d.*, a.code AS agency_code, p.online_level,
           date_trunc('month', d.received_at AT TIME ZONE %(tz)s)::date AS month
    FROM dossiers_dossier d
    JOIN procedures_agency a ON a.id = d.agency_id
    JOIN procedures_procedure p ON p.id = d.procedure_id
    WHERE d.received_at IS NOT NULL
), asked AS (
    -- What the dossier had to upload: required uploads of every case or its own, of every channel or its
    -- own, whose condition is none or ticked in its answers.
    SELECT r.id AS dossier_id, c.id AS component_id
    FROM received r JOIN procedures_requiredcomponent c ON c.procedure_id = r.procedure_id
    WHERE c.is_required AND c.role = 'upload'
      AND c."case" IN ('', r."case")
      AND c.channel IN ('', CASE WHEN r.is_online THEN 'online' ELSE 'counter' END)
      AND (c.condition = '' OR coalesce((r.component_answers -> c.id::text ->> 'applies')::boolean, false))
), per_dossier AS (
    SELECT a.dossier_id, count(*) AS components,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM dossiers_dossierfile f
               WHERE f.dossier_id = a.dossier_id AND f.component_id = a.component_id
                 AND f.kind IN ('application', 'supplement'))) AS digitised
    FROM asked a GROUP BY a.dossier_id
)
SELECT r.agency_code, extract(year FROM r.month)::int AS year, extract(month FROM r.month)::int AS month,
       count(*) AS received,
       count(*) FILTER (WHERE r.status IN (9, 10)) AS resolved,
       count(*) FILTER (WHERE r.status IN (9, 10) AND (r.finished_at AT TIME ZONE %(tz)s)::date <= r.due_date) AS on_time,
       count(*) FILTER (WHERE r.status IN (9, 10) AND (r.finished_at AT TIME ZONE %(tz)s)::date > r.due_date) AS late,
       -- As of today: the clock runs (received, processing, waiting for the fee, withdrawal asked) past the due date.
       count(*) FILTER (WHERE r.status IN (2, 4, 6, 7) AND r.due_date < %(today)s) AS overdue,
       count(*) FILTER (WHERE r.is_online) AS online,
       count(*) FILTER (WHERE r.fee_total > 0 AND NOT r.fee_exempt) AS owing_fee,
       -- Paid online: a payment through a gateway succeeded (a refund later does not undo how it was paid).
       count(*) FILTER (WHERE r.fee_total > 0 AND NOT r.fee_exempt AND EXISTS (
           SELECT 1 FROM payments_payment pay
           WHERE pay.dossier_id = r.id AND pay.status IN ('paid', 'partly_refunded', 'refunded'))) AS paid_online,
       count(r.rating) AS rated,
       count(*) FILTER (WHERE r.rating >= 4) AS satisfied,
       -- An electronic result: chosen, or a fully online procedure's e-copy beside the paper by post or counter.
       count(*) FILTER (WHERE r.status IN (9, 10) AND (r.result_method = 'electronic' OR r.online_level = 4))
           AS electronic_result,
       coalesce(sum(pd.components), 0)::int AS components,
       coalesce(sum(pd.digitised), 0)::int AS digitised,
       -- Indicator 4.3: a component filled from the citizen's document wallet (a reuse recorded with the file).
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM wallet_walletuse u WHERE u.dossier_id = r.id)) AS reused
FROM received r LEFT JOIN per_dossier pd ON pd.dossier_id = r.id
GROUP BY 1, 2, 3
"""

# Each indicator's numerator and denominator, as columns of the SQL above.
INDICATORS = {
    "on_time": ("on_time", "resolved"),
    "overdue": ("overdue", "received"),
    "online": ("online", "received"),
    "payment": ("paid_online", "owing_fee"),
    "satisfaction": ("satisfied", "rated"),
    "electronic_result": ("electronic_result", "resolved"),
    "digitised": ("digitised", "components"),
    "reused": ("reused", "received"),
}


def recomputed() -> dict[tuple, dict]:
    """{(agency code, year, month): {column: count}} straight from the tables."""
    with connection.cursor() as cursor:
        cursor.execute(SQL, {"tz": settings.TIME_ZONE, "today": TODAY})
        names = [c.name for c in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    return {(r["agency_code"], r["year"], r["month"]): r for r in rows}


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class Province:
    """Agencies, their procedures and a seeded random set of dossiers in every state that counts."""

    def __init__(self, seed: int = 766):
        self.rng = random.Random(seed)
        self.build = Builder()
        self.owners = [self.build.citizen() for _ in range(4)]
        self.agencies = [self.build.agency(code=f"000.00.{40 + i}.H34", name=f"Cơ quan {i}") for i in range(4)]
        self.procedures = []
        for agency in self.agencies:
            full = self.build.procedure(agencies=[agency], fees=[50_000], level=OnlineLevel.FULL)
            partial = self.build.procedure(agencies=[agency], level=OnlineLevel.PARTIAL,
                                           components=("Tờ khai", "Giấy tờ chứng minh", "Sơ đồ vị trí"))
            self.procedures += [full, partial, self._with_cases(agency)]
        self.count = 0

    def _with_cases(self, agency):
        """Birth registration as the law reads it: cases, a condition, a channel's own form, a paper shown, a note."""
        procedure = self.build.procedure(agencies=[agency], components=(), fees=[20_000], level=OnlineLevel.FULL)
        for position, (name, extra) in enumerate([
            ("Tờ khai đăng ký khai sinh (giấy)", {"channel": Channel.COUNTER}),
            ("Tờ khai điện tử tương tác", {"channel": Channel.ONLINE}),
            ("Giấy chứng sinh", {"case": "Trẻ sinh ra tại cơ sở y tế"}),
            ("Biên bản xác nhận trẻ bị bỏ rơi", {"case": "Trẻ em bị bỏ rơi"}),
            ("Văn bản ủy quyền", {"condition": "Trường hợp ủy quyền đăng ký"}),
            ("Giấy tờ tùy thân của người đi đăng ký", {"role": ComponentRole.SHOW}),
            ("Cơ quan đăng ký hộ tịch có trách nhiệm tra cứu", {"role": ComponentRole.NOTE}),
            ("Giấy tờ khác (nếu có)", {"is_required": False}),
        ]):
            RequiredComponent.objects.create(procedure=procedure, position=position, name=name, **extra)
        return procedure

    def day_in(self, year: int, month: int) -> datetime:
        """A reception instant in the month, often at its edges: 00:30 on the 1st, 23:30 on the last day (the
        other month in UTC)."""
        last = (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        pick = self.rng.random()
        if pick < 0.12:
            return local(date(year, month, 1), 0, 30)
        if pick < 0.24:
            return local(last, 23, 30)
        return local(date(year, month, self.rng.randint(1, last.day)), self.rng.randint(7, 17), 15)

    def dossier(self, year: int, month: int):
        rng = self.rng
        procedure = rng.choice(self.procedures)
        agency = procedure.agencies.first()
        status = rng.choice([S.RECEIVED, S.PROCESSING, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT, S.WITHDRAWAL,
                             S.STOPPED, S.DONE, S.DONE, S.RETURNED, S.RETURNED, S.RETURNED, S.RETURNED])
        received = self.day_in(year, month)
        due = timezone.localdate(received) + timedelta(days=rng.choice([3, 7, 15, 30, 60]))
        online = rng.random() < 0.7
        full = procedure.online_level == OnlineLevel.FULL
        result_method = rng.choice([ResultMethod.ELECTRONIC, ResultMethod.POST, ResultMethod.COUNTER] if full
                                   else [ResultMethod.POST, ResultMethod.COUNTER])
        fields = {"received_at": received, "due_date": due, "is_online": online, "result_method": result_method,
                  "paused_on": TODAY if status == S.SUPPLEMENT else None}
        if status in (S.DONE, S.RETURNED):
            # Before, on (late in the evening: the next day in UTC) or after the due date.
            finished = rng.choice([local(due - timedelta(days=2), 10), local(due, 23, 30), local(due + timedelta(days=1), 0, 30),
                                   local(due + timedelta(days=5), 9)])
            fields.update(finished_at=finished, returned_at=finished if status == S.RETURNED else None)
            if status == S.RETURNED and rng.random() < 0.6:
                fields["rating"] = rng.randint(1, 5)
        fee = sum(f.amount for f in procedure.fees.all())
        paid_online = False
        if fee:
            exempt = rng.random() < 0.2
            fields.update(fee_total=fee, fee_exempt=exempt)
            if exempt:
                fields["payment_status"] = FeeStatus.NOT_REQUIRED
            else:
                way = rng.choice(["online", "online", "counter", "unpaid"])
                paid_online = way == "online"
                fields["payment_status"] = FeeStatus.UNPAID if way == "unpaid" else FeeStatus.PAID
                fields["paid_online"] = paid_online
                fields["paid_at"] = received + timedelta(hours=2) if way != "unpaid" else None
        case, answers = "", {}
        if procedure.components.exclude(case="").exists():
            case = rng.choice(["Trẻ sinh ra tại cơ sở y tế", "Trẻ em bị bỏ rơi"])
            condition = procedure.components.get(condition__gt="")
            if rng.random() < 0.5:
                answers[str(condition.pk)] = {"applies": True}
            elif rng.random() < 0.5:
                answers[str(condition.pk)] = {"applies": False}
        self.count += 1
        dossier = self.build.dossier(
            status, procedure=procedure, agency=agency, owner=rng.choice(self.owners),
            code=f"{agency.code}-IDX-{self.count:05d}", case=case, component_answers=answers, **fields)
        self._files(dossier, procedure, status)
        self._payments(dossier, paid_online, fee, unpaid=fields.get("payment_status") == FeeStatus.UNPAID)
        return dossier

    def _files(self, dossier, procedure, status):
        """Some components uploaded, some not; a supplement for one; files of components never asked (another
        case's, the other channel's, a paper shown) that must not count; the result's files."""
        for component in procedure.components.all():
            if self.rng.random() < 0.65:
                uploaded = self._file(dossier, component, FileKind.APPLICATION)
                if self.count % 5 == 0:  # every fifth dossier's papers come from the citizen's wallet
                    WalletUse.objects.create(dossier=dossier, dossier_file=uploaded, origin=Origin.ISSUED,
                                             issuer="Sở Tư pháp")
                if self.rng.random() < 0.2:  # two files of one component: one component digitised
                    self._file(dossier, component, FileKind.APPLICATION)
            elif self.rng.random() < 0.3:
                self._file(dossier, component, FileKind.SUPPLEMENT)
        if status in (S.DONE, S.RETURNED):
            self._file(dossier, None, FileKind.RESULT)

    def _file(self, dossier, component, kind):
        n = DossierFile.objects.count()
        return DossierFile.objects.create(dossier=dossier, component=component, kind=kind,
                                          file=f"test/index-{n}.pdf", original_name="giay-to.pdf", file_type="pdf",
                                          size=1000)

    def _payments(self, dossier, paid_online, fee, *, unpaid):
        """A gateway's payment for those paid online; failed or expired attempts before a payment at the counter
        or none at all."""
        now = dossier.received_at
        attempts = []
        if fee and (unpaid or not paid_online) and self.rng.random() < 0.4:
            attempts.append(self.rng.choice([PaymentStatus.FAILED, PaymentStatus.EXPIRED, PaymentStatus.CANCELLED]))
        if paid_online:
            attempts.append(PaymentStatus.PAID)
        for status in attempts:
            Payment.objects.create(
                dossier=dossier, gateway="vnpay", reference=f"IDX{Payment.objects.count():08d}", amount=fee, status=status,
                created_at=now, expires_at=now + timedelta(minutes=15),
                paid_at=now + timedelta(minutes=2) if status == PaymentStatus.PAID else None)

    def not_counted(self, year: int, month: int):
        """Drafts, dossiers not yet received and refused ones: in no figure."""
        procedure = self.rng.choice(self.procedures)
        self.count += 1
        self.build.dossier(S.DRAFT, procedure=procedure, owner=self.owners[0])
        for status in (S.SUBMITTED, S.REFUSED):
            self.count += 1
            self.build.dossier(status, procedure=procedure, owner=self.owners[0],
                               code=f"X-IDX-{self.count:05d}", submitted_at=self.day_in(year, month))


def _number(cell: str) -> int:
    return int(re.sub(r"\D", "", cell))


def shown_indicators(html: str) -> dict[str, tuple[int, int]]:
    """What the page shows: each indicator's numerator and denominator."""
    shown = {}
    for key, row in re.findall(r'<tr data-indicator="(\w+)">(.*?)</tr>', html, flags=re.S):
        numerator = re.search(r'<td class="text-end numerator">([^<]*)</td>', row).group(1)
        denominator = re.search(r'<td class="text-end denominator">([^<]*)</td>', row).group(1)
        shown[key] = (_number(numerator), _number(denominator))
    return shown


def expected(rows: list[dict]) -> dict[str, tuple[int, int]]:
    return {key: (sum(r[n] for r in rows), sum(r[d] for r in rows)) for key, (n, d) in INDICATORS.items()}


@pytest.fixture
def province(db, django_capture_on_commit_callbacks):
    built = Province()
    with django_capture_on_commit_callbacks(execute=True):
        for year, month in MONTHS:
            for _ in range(45):
                dossier = built.dossier(year, month)
                figures_refresh(dossier=dossier)  # what every move and rating does
            built.not_counted(year, month)
    return built


def test_every_indicator_on_the_page_equals_the_sql(province, client):
    truth = recomputed()
    assert any(row["reused"] for row in truth.values())  # indicator 4.3 is checked on real counts, not zeros
    assert figures_reconcile() == []
    codes = [a.code for a in province.agencies]
    assert {(code, y, m) for code, y, m in truth} <= {(c, y, m) for c in codes for y, m in MONTHS}
    checked = 0
    for year, month in MONTHS:
        rows = {code: truth.get((code, year, month)) for code in codes}
        html = client.get(f"/thong-ke/chi-so/?year={year}&month={month}").content.decode()
        assert f'<option value="{month}" selected>' in html  # the select names the month the figures are of
        assert shown_indicators(html) == expected([r for r in rows.values() if r]), (year, month)
        for code, row in rows.items():
            html = client.get(f"/thong-ke/chi-so/?year={year}&month={month}&agency={code}").content.decode()
            if row is None:
                assert f'id="index-received">0<' in html
                continue
            assert shown_indicators(html) == expected([row]), (code, year, month)
            assert f'id="index-received">{row["received"]}<' in html
            checked += 1
    assert checked == len(truth) >= 14
    # The set holds what each indicator is about, so none of the equalities above is 0 = 0.
    every = expected(list(truth.values()))
    assert all(n > 0 and d > n for key, (n, d) in every.items()), every

    # The same dossiers on /thong-ke/: per month and per agency of each year (one set built for both: building
    # it is most of the time).
    columns = ["received", "resolved", "on_time", "late", "overdue"]
    for year in (LAST, TODAY.year):
        html = client.get(f"/thong-ke/?year={year}").content.decode()
        table = html.split('id="by-month"')[1].split("</table>")[0]
        for month, row in re.findall(r'<tr data-key="(\d+)">(.*?)</tr>', table, flags=re.S):
            cells = [_number(c.split("<span")[0]) for c in re.findall(r'<td class="text-end">(.*?)</td>', row)[:5]]
            rows = [r for (code, y, m), r in truth.items() if (y, m) == (year, int(month))]
            assert cells == [sum(r[c] for r in rows) for c in columns], (year, month)
        table = html.split('id="by-agency"')[1].split("</table>")[0]
        for code, row in re.findall(r'<tr data-key="([^"]+)">(.*?)</tr>', table, flags=re.S):
            cells = [_number(c.split("<span")[0]) for c in re.findall(r'<td class="text-end">(.*?)</td>', row)[:5]]
            rows = [r for (c, y, m), r in truth.items() if (c, y) == (code, year)]
            assert cells == [sum(r[c] for r in rows) for c in columns], (year, code)


def test_a_dossier_returned_with_its_electronic_copy_is_an_electronic_result(db, client):
    """The report from outside: a fully online procedure's dossier, its paper result by post, its e-copy on the
    portal, counted 0 of 1."""
    build = Builder()
    agency = build.agency(code="000.00.50.H34")
    procedure = build.procedure(agencies=[agency], level=OnlineLevel.FULL)
    received = local(date(LAST, 12, 10), 9)
    dossier = build.dossier(S.RETURNED, procedure=procedure, received_at=received, due_date=date(LAST, 12, 20),
                            finished_at=received + timedelta(days=3), returned_at=received + timedelta(days=3),
                            result_method=ResultMethod.POST)
    figures_refresh(dossier=dossier)
    html = client.get(f"/thong-ke/chi-so/?year={LAST}&month=12&agency={agency.code}").content.decode()
    assert shown_indicators(html)["electronic_result"] == (1, 1)
    assert recomputed()[(agency.code, LAST, 12)]["electronic_result"] == 1
