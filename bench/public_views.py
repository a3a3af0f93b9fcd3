"""In-process timings (ms per view) and query plans, run inside `manage.py shell` by bench/public.py:
the statistics pages, a procedure page and catalogue searches computed (the page cache bypassed), and the clerk's dossier list in the admin with
its usual filters, for a superuser and for one agency's clerk who passed the second factor."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

REPEAT = 5


def _verified_client(user) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _time(client: Client, path: str) -> dict:
    first = client.get(path)
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return {"path": path, "status": response.status_code, "first_status": first.status_code,
            "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def _busiest_agency():
    from dossiers.models import Dossier
    from procedures.models import Agency

    row = Dossier.objects.values("agency_id").annotate(n=Count("id")).order_by("-n").first()
    return Agency.objects.get(pk=row["agency_id"])


def admin_paths(agency) -> list[str]:
    """The list's usual filters; the work queue's buckets (?hang=, the admin index's links) last, so that the
    first eight keep their place in earlier reports (on code without the buckets they answer a redirect)."""
    base = "/" + settings.ADMIN_URL + "dossiers/dossier/"
    buckets = ["receive", "progress", "due_soon", "overdue", "citizen", "return"]
    return [base, base + "?status__exact=2", base + "?status__exact=4", base + "?overdue=yes",
            base + "?is_online__exact=1&status__exact=4", base + "?q=BENCH-12345",
            base + f"?agency__id__exact={agency.pk}", base + "?p=200",
            base + "?q=c%C3%B4ng+d%C3%A2n",  # "công dân": a name most dossiers share, like a common family name
            *(base + f"?hang={key}" for key in buckets)]


def measure(plans_path: str | None = None) -> dict:
    from accounts.models import User
    from procedures.models import AgencyStaff

    today = timezone.localdate()
    anonymous = Client(HTTP_HOST="127.0.0.1")
    anonymous.cookies["sessionid"] = "no-such-session"  # bypasses the page cache: the view computes the page
    public = [f"/thong-ke/?year={today.year}", f"/thong-ke/?year={today.year - 2}",
              f"/thong-ke/chi-so/?year={today.year}&month={today.month}"]
    from procedures.models import Procedure

    # A procedure page and catalogue searches as their first visitor gets them (no kept page).
    code = Procedure.objects.filter(is_active=True).order_by("pk").values_list("code", flat=True)[20]
    uncached = [f"/thu-tuc/{code}/", "/thu-tuc/?q=giay+phep", "/thu-tuc/?q=dang+ky+khai", "/thu-tuc/?q=cap+lai+giay"]
    agency = _busiest_agency()
    superuser = User.objects.create_superuser(email="quantri@bench.example.vn", password="x-Bench-2026", full_name="Quản trị")
    clerk = User.objects.create_user(email="canbo@bench.example.vn", password="x-Bench-2026", full_name="Cán bộ",
                                     is_active=True, is_staff=True)
    for role in ("receive", "process", "approve"):
        AgencyStaff.objects.create(user=clerk, agency=agency, role=role)
    from django.contrib.auth.models import Group

    clerk.groups.add(*Group.objects.filter(name__in=["Cán bộ tiếp nhận", "Chuyên viên xử lý", "Lãnh đạo phê duyệt"]))
    result = {"public": [_time(anonymous, p) for p in public + uncached]}
    paths = admin_paths(agency)
    for name, user in (("admin_superuser", superuser), ("admin_clerk", clerk)):
        client = _verified_client(user)
        # The clerk: all but the agency filter (their own agency, the default list again).
        result[name] = [_time(client, p) for p in (paths if name == "admin_superuser" else paths[:6] + paths[7:])]
    if plans_path:
        _plans(Path(plans_path), anonymous, public[:1] + public[2:],
               [("clerk", _verified_client(clerk), paths[:6] + paths[7:]),
                ("superuser", _verified_client(superuser), paths)])
    return result


def _plans(out: Path, anonymous: Client, public: list[str], admin: list[tuple[str, Client, list[str]]]) -> None:
    """EXPLAIN ANALYZE of every query the pages make that reads dossiers or the figures (the clerk's, then the
    superuser's)."""
    lines = []
    for who, client, paths in (("anonymous", anonymous, public), *admin):
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.startswith("SELECT") or not any(t in sql for t in ("dossiers_dossier", "reports_dailyfigures")):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                lines += [f"## GET {path} ({who})", "", sql, "", plan, ""]
    out.write_text("\n".join(lines))
