"""Every string a citizen or clerk sees is in the chosen language.

Two kinds of proof: the catalogues (locale/en, locale/vi) have no empty or fuzzy entry and are up to date with the
source (makemessages would add nothing), and the main pages and the admin, rendered in each language, show no
text of the other one. The data in these pages is made ASCII-only, so any Vietnamese letter on an English page is
an untranslated string; on a Vietnamese page, any text equal to an English message of Django or of a third-party
package (admin, import-export, django-otp, axes, captcha) is one that the catalogues left in English.
"""

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "vi")
VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)
MAKEMESSAGES = ["makemessages", "-l", "en", "-l", "vi", "--no-obsolete", "--no-location",
                "--ignore=node_modules", "--ignore=.venv", "--ignore=tests", "--ignore=bench", "--ignore=var",
                "--ignore=artifacts"]


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def _share(po: polib.POFile) -> float:
    entries = [e for e in po if not e.obsolete]
    return len([e for e in entries if e.translated()]) / len(entries)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_message(language):
    po = _catalogue(language)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in locale/{language}: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in locale/{language}: {fuzzy[:10]}"
    assert _share(po) == 1.0


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    """`make run` reads the committed .mo (no gettext needed): it must hold what the .po says."""
    po = _catalogue(language)
    mo = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po.translated_entries():
        assert (entry.msgctxt, entry.msgid) in compiled, f"not compiled: {entry.msgid!r} (run make messages)"
        msgstr, plural = compiled[(entry.msgctxt, entry.msgid)]
        if entry.msgid_plural:
            assert [plural[k] for k in sorted(plural)] == [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        else:
            assert msgstr == entry.msgstr, f"stale .mo for {entry.msgid!r} (run make messages)"


def test_catalogues_are_up_to_date_with_the_source(tmp_path):
    """makemessages on a copy of the source adds no message the committed catalogues lack."""
    if not shutil.which("xgettext"):
        pytest.fail("gettext is not installed (apt-get install gettext): makemessages needs xgettext")
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", "node_modules", ".venv", "var", "artifacts", "__pycache__", "*.mo", "media", "screenshots"))
    subprocess.run([sys.executable, "manage.py", *MAKEMESSAGES], cwd=copy, check=True, capture_output=True,
                   env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings", "HOME": str(tmp_path),
                        "DJANGO_DEBUG": "1"})  # development settings: production ones want its secrets
    for language in LANGUAGES:
        fresh = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        committed = {(e.msgctxt, e.msgid) for e in _catalogue(language)}
        missing = [e.msgid for e in fresh if (e.msgctxt, e.msgid) not in committed]
        stale = committed - {(e.msgctxt, e.msgid) for e in fresh}
        assert not missing, f"locale/{language} lacks {len(missing)} new messages (run makemessages): {missing[:10]}"
        assert not stale, f"locale/{language} keeps {len(stale)} messages no longer in the source: {list(stale)[:10]}"


# --- Rendered pages ------------------------------------------------------------------------------------------


class _Text(HTMLParser):
    """Visible text nodes and the attributes a user reads or hears (title, alt, aria-label, placeholder)."""

    SKIP = {"script", "style", "template"}
    READ = {"title", "alt", "aria-label", "placeholder", "data-refreshed", "data-failed"}

    def __init__(self):
        super().__init__()
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        for name, value in attrs:
            if value and (name in self.READ or (tag == "input" and name == "value" and
                                                dict(attrs).get("type") in ("submit", "button"))):
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.texts


def _english_messages() -> set[str]:
    """English source messages of Django and of the third-party packages whose pages the portal shows."""
    import axes
    import captcha
    import django
    import django_otp
    import import_export

    roots = [Path(django.__file__).parent / "contrib" / "admin", Path(django.__file__).parent / "contrib" / "auth",
             Path(django.__file__).parent / "conf", Path(import_export.__file__).parent,
             Path(django_otp.__file__).parent, Path(axes.__file__).parent, Path(captcha.__file__).parent]
    found = set()
    for root in roots:
        # Every catalogue of a package lists its msgids, but a language's file may lag behind: read them all.
        for po_path in root.rglob("locale/*/LC_MESSAGES/django.po"):
            for entry in polib.pofile(str(po_path)):
                text = " ".join(entry.msgid.split())
                # Messages with a placeholder or markup never show as they are; one-word ones may be proper
                # names or codes (ID, URL, CSV, XLSX).
                if "%" in text or "{" in text or "<" in text or len(text.split()) < 2:
                    continue
                found.add(text)
    return found


# Names, not words: the language's own name in the switch, the portal's configured name (PORTAL_NAME, the
# admin's header), the country's provinces (vietnam-provinces data), the test's TOTP device and a decision number.
ALLOWED_ON_ENGLISH_PAGES = {"Tiếng Việt", settings.PORTAL_NAME, "Điện thoại thử nghiệm", "766/QĐ-TTg"}


def _data_names() -> set[str]:
    """Names stored as data: provinces (vietnam-provinces), the staff groups (auth groups named by accounts.roles)."""
    from accounts.roles import ROLE_GROUPS
    from accounts.selectors import province_choices

    return {name for _code, name in province_choices()} | set(ROLE_GROUPS)


@pytest.fixture
def ascii_world(db, settings):
    """A portal whose data has no Vietnamese letter: an English page showing one shows an untranslated string."""
    from accounts.models import User
    from dossiers.constants import DossierStatus
    from procedures.constants import AgencyLevel, FeeKind
    from procedures.models import Agency, FeeItem, Field, Procedure, RequiredComponent
    from tests.support.otp import login_verified

    settings.PORTAL_NAME = "Kon Tum Public Service Portal"
    settings.DEBUG = False
    agency = Agency.objects.create(code="000.00.21.H34", name="Department of Natural Resources",
                                   address="15 Le Hong Phong", phone="0260.3864125", level=AgencyLevel.PROVINCIAL,
                                   bank_account_name="DNR", bank_account_number="3511", bank_name="KBNN")
    field = Field.objects.create(code="TNN", name="Water resources")
    procedure = Procedure.objects.create(
        code="1.004232.000.00.00.H34", name="Groundwater exploration licence", field=field, processing_days=23,
        result="Licence", legal_basis="Water Law 2023", conditions="A project", steps="Step 1: submit",
        is_frequent=True, online_level=4,
    )
    procedure.agencies.set([agency])
    RequiredComponent.objects.create(procedure=procedure, position=1, name="Application form",
                                     accepted_types="pdf", max_size_mb=10)
    FeeItem.objects.create(procedure=procedure, kind=FeeKind.FEE, name="Appraisal fee", amount=1_100_000)
    citizen = User.objects.create_user("hoa@example.vn", "mat-khau-dai-123", full_name="Nguyen Thi Hoa",
                                       identity_number="062301123456", is_active=True, phone="0912345678")
    admin = User.objects.create_superuser("admin@example.vn", "mat-khau-dai-123", full_name="Admin")
    return {"agency": agency, "procedure": procedure, "citizen": citizen, "admin": admin,
            "login_verified": login_verified, "status": DossierStatus}


PUBLIC_PAGES = ["/", "/thu-tuc/", "/thu-tuc/1.004232.000.00.00.H34/", "/dich-vu-cong-truc-tuyen/", "/huong-dan/",
                "/cau-hoi-thuong-gap/", "/tra-cuu-ho-so/", "/thong-ke/", "/thong-ke/chi-so/", "/tai-khoan/dang-ky/",
                "/tai-khoan/dang-ky/?loai=to-chuc", "/tai-khoan/dang-nhap/", "/tai-khoan/quen-mat-khau/",
                "/tai-khoan/gui-lai-xac-nhan/", "/tai-khoan/dang-ky/da-gui/"]
CITIZEN_PAGES = ["/tai-khoan/", "/ho-so/", "/thanh-toan/", "/tai-khoan/doi-mat-khau/"]
ADMIN_PAGES = ["", "procedures/procedure/", "procedures/procedure/add/", "procedures/procedure/import/",
               "procedures/procedure/export/", "procedures/agency/", "procedures/agency/add/", "procedures/field/",
               "dossiers/dossier/", "accounts/user/", "accounts/user/add/", "payments/payment/",
               "notifications/email/", "axes/accessattempt/", "password_change/"]


def _get(client, language: str, path: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response.content.decode()


def _report(problems: dict) -> str:
    return "\n".join(f"{page}: {texts}" for page, texts in problems.items())


def _vietnamese_on_english_page(html: str) -> list[str]:
    allowed = ALLOWED_ON_ENGLISH_PAGES | _data_names()
    found = []
    for text in visible_texts(html):
        for name in sorted(ALLOWED_ON_ENGLISH_PAGES, key=len, reverse=True):
            text = text.replace(name, "")
        if VIETNAMESE.search(text) and text not in allowed:
            found.append(text)
    return found


def _english_on_vietnamese_page(html: str, english: set[str]) -> list[str]:
    return sorted({t for t in visible_texts(html) if t.rstrip(":.…") in english or t in english})


@pytest.mark.django_db
def test_public_and_citizen_pages_in_english_have_no_vietnamese_text(client, ascii_world):
    problems = {}
    for path in PUBLIC_PAGES:
        found = _vietnamese_on_english_page(_get(client, "en", path))
        if found:
            problems[path] = found
    client.force_login(ascii_world["citizen"])
    for path in CITIZEN_PAGES:
        found = _vietnamese_on_english_page(_get(client, "en", path))
        if found:
            problems[path] = found
    assert not problems, _report(problems)


@pytest.mark.django_db
def test_admin_in_english_has_no_vietnamese_text(client, ascii_world):
    ascii_world["login_verified"](client, ascii_world["admin"])
    problems = {}
    for page in ADMIN_PAGES:
        found = _vietnamese_on_english_page(_get(client, "en", f"/{settings.ADMIN_URL}{page}"))
        if found:
            problems[page] = found
    assert not problems, _report(problems)


@pytest.mark.django_db
def test_admin_and_pages_in_vietnamese_have_no_english_message(client, ascii_world):
    english = _english_messages()
    problems = {}
    for path in PUBLIC_PAGES:
        found = _english_on_vietnamese_page(_get(client, "vi", path), english)
        if found:
            problems[path] = found
    ascii_world["login_verified"](client, ascii_world["admin"])
    for page in ADMIN_PAGES:
        found = _english_on_vietnamese_page(_get(client, "vi", f"/{settings.ADMIN_URL}{page}"), english)
        if found:
            problems[page] = found
    assert not problems, _report(problems)


@pytest.mark.django_db
def test_vietnamese_admin_shows_the_strings_django_leaves_in_english_translated(client, ascii_world):
    ascii_world["login_verified"](client, ascii_world["admin"])
    page = _get(client, "vi", f"/{settings.ADMIN_URL}procedures/procedure/")
    for english in ("Skip to main content", "Toggle theme", "Show counts", "Reset password"):
        assert english not in page
    assert "Bỏ qua, đến nội dung chính" in page
