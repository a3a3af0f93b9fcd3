"""Apps depend one way: each package of the portal imports only the packages below it (DESIGN: the house).

Read from the source (every import statement, at module level or inside a function), as the sandbox
isolation test does for sandbox/. A new package fails here until it is given its place below.
"""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

BASE = {"common"}
SHARED = BASE | {"accounts", "notifications", "audit", "idempotency"}
# What each package may import besides itself, lowest first. Why each row:
ALLOWED = {
    # Captcha, downloads, PDF base, client address, rate limiting: Django and libraries only.
    "common": set(),
    # The e-mail outbox: any app queues through it, so it knows none of them.
    "notifications": BASE,
    # The access audit of personal data: every app that shows a citizen's data records into it.
    "audit": BASE,
    # One POST per idempotency key (submissions, payment starts): dossiers and payments wrap their views with it.
    "idempotency": BASE,
    # Users and their sign-in: every app may ask who the user is.
    "accounts": BASE | {"notifications", "audit"},
    # The catalogue of procedures, agencies and staff assignments.
    "procedures": SHARED,
    # Agencies' signing keys, signing the PDFs the portal issues and verifying signed PDFs (issue 29 §3).
    "signatures": SHARED | {"procedures"},
    # Who may act for whom (authorisations, organisations' members): dossiers ask it before opening a dossier.
    "representation": SHARED | {"procedures"},
    # Dossiers are submitted for a procedure, by their owner or whoever representation lets act for them.
    "dossiers": SHARED | {"procedures", "signatures", "representation"},
    # Payments settle what a dossier owes; dossiers learn of payments only through dossiers.services.
    "payments": SHARED | {"procedures", "dossiers", "signatures", "representation"},
    # Appointments at the one-stop counter, booked for a procedure or a dossier; no app below reads them.
    "appointments": SHARED | {"procedures", "dossiers"},
    # The outbox to the national portal follows the dossiers' events and sends them (issue 28 §2).
    "national_sync": SHARED | {"procedures", "dossiers"},
    # The citizens' document wallet sits above dossiers: it keeps a returned dossier's results (following
    # DOSSIER_MOVED), fills a draft's component through dossiers.services, and reads where a dossier file came
    # from. Dossiers never import it: the wizard and the components summary show its offers and origins through
    # its template tags ({% load wallet %}), and dossiers leave shared stored objects (uploads.SHARED_PREFIX) alone.
    # It reads representation for the share form's one-click choices (the owner's representatives).
    "wallet": SHARED | {"procedures", "dossiers", "signatures", "representation"},
    # Statistics read the domain apps and write nothing; no app reads statistics. The service index's synced share
    # is what the national portal confirmed (national_sync); its reuse share is what the wallets counted (wallet).
    "reports": SHARED | {"procedures", "dossiers", "payments", "national_sync", "wallet"},
    # The integration API for agencies' software: reads the catalogue, reads and moves dossiers through their services.
    "api": SHARED | {"procedures", "dossiers", "payments"},
    # Resumable uploads (tus) feed a draft's components through dossiers.services; no app reads them.
    "uploads_tus": SHARED | {"procedures", "dossiers", "signatures"},
    # The project (settings, URLs, pages, admin site) wires the product apps together: the roof.
    "portal": SHARED | {"procedures", "dossiers", "payments", "appointments", "national_sync", "reports", "signatures",
                        "api", "wallet"},
    # Development stand-ins (STYLE 19), installed only when their setting is on: nothing imports them.
    # Demo data, generators, the demo mailbox and the bench ping write into or read any app.
    "demo": SHARED | {"procedures", "dossiers", "payments", "appointments", "national_sync", "reports", "signatures",
                      "wallet"},
    # The payment sandbox stands in for a bank: HTTP only (tests/sandbox/test_isolation.py).
    "sandbox": set(),
    # The SMS and Zalo sandboxes stand in for the providers: HTTP only.
    "notice_sandbox": set(),
    # The national identity provider's sandbox (on django-oauth-toolkit): HTTP only, like the payment sandbox.
    "sandbox_idp": set(),
    # The national portal's sandbox stands in for the Cổng DVC quốc gia: HTTP only.
    "sandbox_dvcqg": set(),
}
STAND_INS = {"demo", "sandbox", "notice_sandbox", "sandbox_idp", "sandbox_dvcqg"}
# Separate units inside a package, with rules of their own.
UNITS: dict[str, set[str]] = {
    # The pages of /tai-khoan/uy-quyen/: they check the authorisation's document as dossiers check uploads and
    # show the clerk the document of a dossier's authorisation; nothing but the URLs imports them.
    "representation.pages": SHARED | {"procedures", "dossiers", "representation"},
}
NOT_PACKAGES = {"tests", "bench", "docs", "locale", "static", "templates", "node_modules", "var"}


def packages(root: Path = ROOT) -> list[str]:
    return sorted(p.name for p in root.iterdir() if (p / "__init__.py").exists() and p.name not in NOT_PACKAGES)


def unit_of(module: str) -> str:
    for unit in UNITS:
        if module == unit or module.startswith(unit + "."):
            return unit
    return module.split(".")[0]


def imports(path: Path, source: str | None = None, root: Path = ROOT) -> list[tuple[str, tuple[str, ...]]]:
    """What a module imports, as (absolute module, names taken from it): `import a.b` is ("a.b", ())."""
    package = ".".join(path.parent.relative_to(root).parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text() if source is None else source, filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.append((module, tuple(alias.name for alias in node.names)))
    return found


def imported_modules(path: Path, source: str | None = None, root: Path = ROOT) -> list[str]:
    """Absolute names of what a module imports, relative imports resolved against its package."""
    return [module for module, _ in imports(path, source, root)]


def edges(root: Path = ROOT) -> dict[tuple[str, str], list[str]]:
    """(importer, imported) between units of the portal -> where, as "file: module"."""
    ours = set(packages(root))
    found: dict[tuple[str, str], list[str]] = {}
    for package in ours:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # generated; they name other apps' migrations, not their code
            importer = unit_of(".".join(path.relative_to(root).with_suffix("").parts))
            for name in imported_modules(path, root=root):
                if name.split(".")[0] not in ours:
                    continue
                imported = unit_of(name)
                if imported != importer:
                    found.setdefault((importer, imported), []).append(f"{path.relative_to(root)}: {name}")
    return found


def test_every_package_has_its_place_in_the_table():
    assert set(packages()) == set(ALLOWED)


def test_no_package_imports_one_above_it():
    found = edges()
    assert ("payments", "dossiers") in found  # the scan does read the tree
    allowed = {**ALLOWED, **UNITS}
    wrong = [f"{importer} → {imported} ({', '.join(where)})"
             for (importer, imported), where in sorted(found.items())
             if imported not in allowed[importer]]
    assert wrong == []


def test_no_product_package_imports_a_stand_in():
    """The dependency runs stand-in → product, never back: production runs without the stand-ins installed."""
    assert not any(STAND_INS & below for package, below in ALLOWED.items() if package not in STAND_INS)
    assert [pair for pair in edges() if pair[1] in STAND_INS and pair[0] != pair[1]] == []


def test_the_table_is_a_ladder_without_cycles():
    for package, below in ALLOWED.items():
        assert package not in below
        for other in below:
            assert package not in ALLOWED[other], f"{package} and {other} may import each other"


@pytest.mark.parametrize(("source", "expected"), [
    ("from ..constants import PaymentStatus\nfrom . import vnpay\n", ["payments.constants", "payments.gateways"]),
    ("import dossiers.services\n\ndef f():\n    from reports import selectors\n", ["dossiers.services", "reports"]),
])
def test_the_check_sees_relative_and_function_level_imports(source, expected):
    assert imported_modules(ROOT / "payments" / "gateways" / "base.py", source) == expected


def test_the_check_finds_an_upward_import_hidden_in_a_function(tmp_path):
    for package, source in [("payments", ""), ("dossiers", "def later():\n    from payments.models import Payment\n"),
                            ("common", "from ..dossiers import services\n")]:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
        (tmp_path / package / "module.py").write_text(source)
    assert edges(tmp_path) == {("dossiers", "payments"): ["dossiers/module.py: payments.models"],
                               ("common", "dossiers"): ["common/module.py: dossiers"]}
