"""Data for bench/public.py, built inside Django (`manage.py shell`) with set-based SQL: a province's
dossiers (10 000 × the scale) over five years, citizens who own them, and the sample of paths to request.

Works on the code before and after issue 15 (no import of what changed between them).
"""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

PASSWORD = "Bench-Mat-Khau-2026"

# Statuses by share (National portal codes): most dossiers of five years are long finished; the open ones
# (received 2, processing 4, supplement 5, payment 6; 3 % in all, about a month's intake) are recent.
DOSSIERS_SQL = """
WITH proc AS (
    -- Numbered once; each dossier joins its pick by number (an array would be copied for every row).
    SELECT row_number() OVER (ORDER BY procedure_id) AS rn, procedure_id, agency_id
    FROM (SELECT procedure_id, min(agency_id) AS agency_id FROM procedures_procedure_agencies GROUP BY procedure_id) t
), proc_count AS (
    SELECT count(*) AS n FROM proc
), owners AS (
    SELECT min(id) AS first_id, count(*) AS n FROM accounts_user WHERE email LIKE '%%@bench.example.vn'
), raw AS (
    SELECT g, random() AS r_status, random() AS r_when, random() AS r_proc, random() AS r_fee, random() AS r_rate,
           random() AS r_online, random() AS r_late
    FROM generate_series(1, %(count)s) AS g
), shaped AS (
    SELECT raw.*,
           CASE WHEN r_status < 0.85 THEN 10 WHEN r_status < 0.91 THEN 9 WHEN r_status < 0.94 THEN 3
                WHEN r_status < 0.965 THEN 8 WHEN r_status < 0.98 THEN 4 WHEN r_status < 0.985 THEN 2
                WHEN r_status < 0.99 THEN 5 WHEN r_status < 0.995 THEN 6 ELSE 1 END AS status,
           -- A few hundred procedures make most dossiers: the cube skews the pick towards the first ids.
           1 + floor(power(r_proc, 3) * (SELECT n FROM proc_count))::int AS pick
    FROM raw
), timed AS (
    SELECT shaped.*,
           now() - CASE WHEN status IN (1, 2, 4, 5, 6) THEN r_when * interval '45 days'
                        ELSE r_when * interval '1826 days' END AS submitted,
           (ARRAY[5, 10, 15, 30])[1 + (g %% 4)] AS days
    FROM shaped
)
INSERT INTO dossiers_dossier (
    uuid, code, lookup_key, procedure_id, agency_id, owner_id, status, wizard_step, is_online,
    applicant_name, applicant_identity, applicant_phone, applicant_email, applicant_address, on_behalf,
    submit_method, submit_address, result_method, result_address, fee_total, fee_exempt, payment_status,
    paid_at, paid_online, created_at, updated_at, submitted_at, received_at, due_date, paused_on,
    finished_at, returned_at, rating, rating_comment, rated_at)
SELECT gen_random_uuid(), 'BENCH-' || g, 'BENCH2', proc.procedure_id, proc.agency_id,
       owners.first_id + g %% owners.n, status, 4, r_online < 0.85,
       'Công dân thử tải', '', '0900000000', 'congdan@bench.example.vn', 'Kon Tum', false,
       'online', '', CASE WHEN r_online < 0.5 THEN 'electronic' ELSE 'counter' END, '',
       CASE WHEN r_fee < 0.4 THEN 50000 ELSE 0 END, false,
       CASE WHEN r_fee >= 0.4 THEN 'not_required' WHEN status IN (1, 2, 3) THEN 'unpaid' ELSE 'paid' END,
       CASE WHEN r_fee < 0.4 AND status NOT IN (1, 2, 3) THEN submitted + interval '1 day' END,
       r_fee < 0.25 AND status NOT IN (1, 2, 3),
       submitted, submitted, submitted,
       CASE WHEN status NOT IN (1, 3) THEN submitted + interval '3 hours' END,
       CASE WHEN status NOT IN (1, 3) THEN (submitted + interval '3 hours')::date + days END,
       CASE WHEN status = 5 THEN current_date END,
       CASE WHEN status IN (9, 10) THEN submitted + interval '3 hours'
                 + (days * (0.3 + r_late)) * interval '1 day' END,
       CASE WHEN status = 10 THEN submitted + interval '3 hours' + (days * (0.3 + r_late) + 1) * interval '1 day' END,
       CASE WHEN status = 10 AND r_rate < 0.5 THEN 1 + floor(power(r_rate * 2, 0.5) * 5)::int END, '',
       CASE WHEN status = 10 AND r_rate < 0.5 THEN submitted + interval '40 days' END
FROM timed JOIN proc ON proc.rn = timed.pick CROSS JOIN owners
"""


def build(*, scale: int, seed: int = 15) -> dict:
    """Citizens and dossiers for `scale` (10 000 × scale dossiers, 20 per citizen); return counts."""
    from accounts.models import User

    dossiers = 10_000 * scale
    citizens = max(100, dossiers // 20)
    password = make_password(PASSWORD)
    now = timezone.now()
    User.objects.bulk_create(
        [User(email=f"congdan{n:07d}@bench.example.vn", password=password, full_name=f"Công dân thử tải {n}",
              is_active=True, email_confirmed_at=now) for n in range(citizens)],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # Columns a later version added (NOT NULL, no default, not in the INSERT) get their empty value while
        # the rows go in, so the same SQL builds the data before and after a change.
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'dossiers_dossier'"
            " AND is_nullable = 'NO' AND column_default IS NULL AND column_name <> 'id'"
        )
        listed = DOSSIERS_SQL.split("INSERT INTO dossiers_dossier (")[1].split(")")[0]
        empty = {"boolean": "false", "text": "''", "character varying": "''", "smallint": "0", "integer": "0",
                 "bigint": "0", "jsonb": "'{}'"}
        added = [(c, empty[t]) for c, t in cursor.fetchall() if c not in {x.strip() for x in listed.split(",")}]
        for column, value in added:
            # Quoted: a column may be named by a reserved word (Dossier.case).
            cursor.execute(f'ALTER TABLE dossiers_dossier ALTER COLUMN "{column}" SET DEFAULT {value}')
        cursor.execute(DOSSIERS_SQL, {"count": dossiers})
        for column, _ in added:
            cursor.execute(f'ALTER TABLE dossiers_dossier ALTER COLUMN "{column}" DROP DEFAULT')
        cursor.execute("VACUUM ANALYZE dossiers_dossier")
        cursor.execute("ANALYZE accounts_user")
    return {"citizens": citizens, "dossiers": dossiers}


_LITTLE = {"va", "voi", "doi", "cua", "cho", "tren", "theo", "co", "cac", "tai", "trong", "de", "ve", "la", "hoac",
           "o", "vao", "tu", "den", "khi", "da", "duoc", "nhung", "mot"}


def sample(*, seed: int = 7) -> dict:
    """Paths as visitors request them: popular searches, browsing, procedure pages, statistics."""
    from procedures.models import Agency, Field, Procedure
    from procedures.text import tokens

    rng = random.Random(seed)
    procedures = list(Procedure.objects.filter(is_active=True).order_by("id").values_list("code", "name")[:2000])
    names = [n for _, n in procedures]
    words = sorted({w for n in names[:400] for w in tokens(n) if len(w) > 3})
    popular = []
    for name in rng.sample(names, min(20, len(names))):  # 20 searches everyone makes
        folded = tokens(name)
        start = rng.randrange(max(1, len(folded) - 1))
        popular.append(" ".join(folded[start:start + 2]))
    # Searches as citizens make them: two or three words in a row of ONE procedure's name ("giấy phép
    # khai thác", "cấp đổi chứng chỉ"), each procedure picked at random from the whole catalogue. Pairs of
    # unrelated words (the "words" below, kept for the runs before issue 25) mostly find nothing and
    # understate what a search costs.
    # A span neither starts nor ends on a little word ("đối với", "và"): nobody types "và lớn".
    citizen = []
    every = list(Procedure.objects.filter(is_active=True).values_list("name", flat=True))
    for name in rng.sample(every, min(300, len(every))):
        folded = tokens(name, limit=40)
        size = rng.choice((2, 3))
        spans = [folded[i:i + size] for i in range(len(folded) - size + 1)
                 if folded[i] not in _LITTLE and folded[i + size - 1] not in _LITTLE]
        if spans:
            citizen.append(" ".join(rng.choice(spans)))
    return {
        "popular": popular,
        "citizen": citizen,
        "words": words[:300],
        "codes": [c for c, _ in rng.sample(procedures, min(300, len(procedures)))],
        "agencies": list(Agency.objects.values_list("code", flat=True)),
        "fields": list(Field.objects.values_list("code", flat=True)),
    }


def owners_with_dossiers(*, count: int) -> list[dict]:
    """`count` citizens who own dossiers, with one of their dossier codes each."""
    from accounts.models import User

    rows = (
        User.objects.filter(email__endswith="@bench.example.vn", dossiers__isnull=False)
        .order_by("id").values_list("email", "dossiers__code")[: count * 20]
    )
    seen: dict[str, str] = {}
    for email, code in rows:
        seen.setdefault(email, code)
        if len(seen) == count:
            break
    return [{"email": e, "code": c} for e, c in seen.items()]
