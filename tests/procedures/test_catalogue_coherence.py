"""Two processes: the server citizens use, and a command-line import or edit of the catalogue beside it.

The server runs as `make run` runs it (`manage.py runserver`, the local-memory cache, each process its own) and, in
the second case, with the shared Redis cache of production. Its caches are warm (the procedure page and a search
served from the page cache, the search rows and vocabulary in the process, the wizard open); then another process
changes the catalogue, and the server shows the change on every page within seconds: the procedure's new name and
time, and its new papers, on the procedure page, in the search's rows and in the wizard. Before, the page, the rows
and the wizard disagreed for as long as the pages were kept (30 minutes and more).
"""

import json
import re
import subprocess
import sys
import time

import pytest
import requests

from procedures.imports import procedures_import, records_from_file
from procedures.models import Procedure
from tests.conftest import REDIS_TEST_URL, ROOT
from tests.factories.dossiers import Builder
from tests.support.gunicorn import citizen_session, csrf_post, start_runserver

from .national_data import data_dir

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BIRTH = "1.001193"
SHOWN_WITHIN_SECONDS = 5.0
SEARCH = "/thu-tuc/?q=khai+sinh"


def _birth_record() -> dict:
    content = (data_dir() / "tthc_all.jsonl.gz").read_bytes()
    return next(raw for _, raw in records_from_file("tthc_all.jsonl.gz", content) if raw["ma_thu_tuc"] == BIRTH)


def _changed(record: dict, *, name: str, days: int, paper: str) -> dict:
    """The record as the national database publishes it after an amendment: a new name, time and paper."""
    return {**record, "ten_thu_tuc": name,
            "cach_thuc_thuc_hien": f"Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp{days} Ngày làm việcKhông",
            "thanh_phan_ho_so": f"--Tên giấy tờMẫu đơn, tờ khaiSố lượng{paper}1 bản chính"}


def _manage(*args: str, env: dict) -> None:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def _text(response) -> str:
    """The page's text as a visitor reads it (tags and repeated spaces out)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


def _shown(expected: dict) -> dict:
    """Poll each page until it shows all its texts ({name: (get, texts)}); return how long each took, and fail if
    one is still stale past the bound."""
    started = time.monotonic()
    took, last = {}, {}
    while len(took) < len(expected) and time.monotonic() - started < SHOWN_WITHIN_SECONDS:
        for name, (get, texts) in expected.items():
            if name not in took:
                last[name] = _text(get())
                if all(text in last[name] for text in texts):
                    took[name] = f"{time.monotonic() - started:.2f} s"
        time.sleep(0.1)
    stale = {name: [t for t in texts if t not in last[name]] for name, (_, texts) in expected.items()
             if name not in took}
    assert not stale, f"still stale after {SHOWN_WITHIN_SECONDS} s: {stale}"
    return took


def _served_from_the_cache(session: requests.Session, url: str) -> None:
    """Ask until the page comes from the cache (the server reads the version this test's writes moved within a
    second: a page kept just before is kept under the version it had read)."""
    deadline = time.monotonic() + SHOWN_WITHIN_SECONDS
    while session.get(url, timeout=30).headers.get("X-Page-Cache") != "hit":
        assert time.monotonic() < deadline, f"{url} is not kept"


@pytest.fixture(params=["local-memory", "redis"])
def server(request, tmp_path):
    extra = {"DJANGO_DEBUG": "1", "CACHE_URL": "locmemcache://portal"}  # `make run`'s
    if request.param == "redis":
        from tests.conftest import need_service, port_open

        need_service("Redis", port_open("127.0.0.1", 6379))
        import redis

        redis.Redis.from_url(REDIS_TEST_URL).flushdb()
        extra["CACHE_URL"] = REDIS_TEST_URL.replace("redis://", "rediscache://", 1)
    started = start_runserver(tmp_path, **extra)
    yield started
    started.stop()


def test_an_import_and_an_edit_from_another_process_show_at_once_on_every_page(server, tmp_path):
    from tests.conftest import test_database_env

    record = _birth_record()
    procedures_import(records=[(1, record)])
    build = Builder()
    procedure = Procedure.objects.get(national_code=BIRTH)
    procedure.agencies.add(build.agency())
    citizen = build.citizen()
    base = server.url
    anonymous = requests.Session()

    # Warm every cache: the procedure page and the search from the page cache (a search is kept from its second
    # request), the rows and the vocabulary in the server's process; the citizen is on the wizard's papers.
    page_url, search_url = base + procedure.get_absolute_url(), base + SEARCH
    _served_from_the_cache(anonymous, page_url)
    _served_from_the_cache(anonymous, search_url)
    assert "Thủ tục đăng ký khai sinh" in _text(anonymous.get(search_url, timeout=30))
    session = citizen_session(server, citizen)
    # Kept alive, as runserver serves it: a connection it closes after answering "Connection: close" may be taken
    # again from the client's pool before the client sees it closed.
    del session.headers["Connection"]
    step1 = session.get(f"{base}/ho-so/nop/{procedure.code}/", allow_redirects=False, timeout=30)
    assert step1.status_code == 302, step1.text[:500]
    step1_url = base + step1.headers["Location"]
    session.get(step1_url, timeout=30)
    applicant = {"applicant_name": citizen.full_name, "applicant_identity": "062300000001",
                 "applicant_phone": "0905123456", "applicant_email": citizen.email,
                 "applicant_address": "12 Trần Hưng Đạo", "applicant_province_code": 51,
                 "applicant_commune_code": 23293}
    step2 = csrf_post(session, step1_url, applicant)
    assert step2.status_code == 302, step2.text[-2000:]
    step2_url = base + step2.headers["Location"]
    assert session.get(step2_url, timeout=30).status_code == 200

    procedure_page = lambda: anonymous.get(page_url, timeout=30)  # noqa: E731
    search_rows = lambda: anonymous.get(search_url, timeout=30)  # noqa: E731
    wizard = lambda: session.get(step2_url, timeout=30)  # noqa: E731
    env = test_database_env()

    # 1. `import_national_procedures` of the amended national record, from the command line.
    amended = tmp_path / "amended.jsonl"
    name, paper = "Thủ tục đăng ký khai sinh cho trẻ em (sửa đổi)", "Tờ khai đăng ký khai sinh mới"
    amended.write_text(json.dumps(_changed(record, name=name, days=9, paper=paper), ensure_ascii=False) + "\n",
                       encoding="utf-8")
    _manage("import_national_procedures", str(amended), "--quiet-rows", env=env)
    took = _shown({"procedure page": (procedure_page, [name, "9 ngày làm việc", paper]),
                   "search rows": (search_rows, [name]),
                   "wizard": (wizard, [name, paper])})
    print("the import shown after", took)

    # 2. An edit through the ORM in another process (a shell, a script): the name, the time and a paper.
    name, paper = "Thủ tục đăng ký khai sinh (sửa lần hai)", "Tờ khai khai sinh theo mẫu"
    _manage("shell", "-c", (
        "from procedures.models import Procedure\n"
        f"p = Procedure.objects.get(national_code='{BIRTH}')\n"
        f"p.name = '{name}'; p.processing_days = 4; p.save()\n"
        f"c = p.components.get(name='Tờ khai đăng ký khai sinh mới'); c.name = '{paper}'; c.save()\n"
    ), env=env)
    took = _shown({"procedure page": (procedure_page, [name, "4 ngày làm việc", paper]),
                   "search rows": (search_rows, [name]),
                   "wizard": (wizard, [name, paper])})
    print("the edit shown after", took)
