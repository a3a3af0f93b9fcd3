"""The sandbox is a stand-in for a bank: it shares no code with the portal, only HTTP."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

import sandbox
from tests.support.urls import reloaded_urls

SANDBOX = Path(sandbox.__file__).resolve().parent
PORTAL_PACKAGES = {"accounts", "audit", "common", "demo", "dossiers", "notifications", "payments", "portal", "procedures",
                   "reports", "tests"}


def imported_modules(path: Path, source: str | None = None) -> list[str]:
    """Absolute names of what a module imports; relative imports resolved against the sandbox package."""
    package = ".".join(("sandbox", *path.parent.relative_to(SANDBOX).parts))
    names = []
    for node in ast.walk(ast.parse(path.read_text() if source is None else source, filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.append(".".join(base + ([node.module] if node.module else [])))
            else:
                names.append(node.module)
    return names


def test_the_sandbox_imports_nothing_of_the_portal():
    files = sorted(SANDBOX.rglob("*.py"))
    assert len(files) > 8
    offending = [
        f"{path.relative_to(SANDBOX)}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.split(".")[0] in PORTAL_PACKAGES
    ]
    assert offending == []


def test_the_import_check_resolves_relative_imports():
    source = "from payments.gateways import vnpay\nfrom . import services\nfrom .models import X\n"
    assert imported_modules(SANDBOX / "views.py", source) == ["payments.gateways", "sandbox", "sandbox.models"]


def test_the_sandbox_templates_use_no_portal_template_or_tag():
    for template in (SANDBOX / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r'{%\s*extends\s+"(?!sandbox/)', text), template
        assert "portal_tags" not in text, template


@pytest.mark.parametrize("enabled", [True, False])
def test_the_sandbox_is_mounted_only_when_enabled(settings, enabled):
    with reloaded_urls(settings, PAYMENT_SANDBOX=enabled):
        if enabled:
            assert reverse("sandbox:vnpay_pay") == "/sandbox/vnpay/paymentv2/vpcpay.html"
        else:
            with pytest.raises(NoReverseMatch):
                reverse("sandbox:vnpay_pay")
