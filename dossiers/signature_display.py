"""A file's signature check (DossierFile.signature_check) as the clerk reads it in the admin."""

from django.utils.dateparse import parse_datetime
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from signatures.constants import Verdict


def _when(value: str | None) -> str:
    moment = parse_datetime(value) if value else None
    return f"{localtime(moment):%H:%M %d/%m/%Y}" if moment else "—"


def signature_check_display(check: dict | None) -> str:
    """Each signature: signer, verdict in words, signing time; "—" for a file without signatures."""
    if not check:
        return "—"
    if check.get("error"):
        return check["error"]
    rows = [
        (
            "text-success" if s["verdict"] == Verdict.VALID else "text-danger",
            s["signer"] or _("(không rõ người ký)"),
            s.get("organisation") or "",
            Verdict(s["verdict"]).label,
            _when(s.get("timestamp_time") or s.get("signing_time")),
        )
        for s in check.get("signatures", [])
    ]
    if not rows:
        return _("Không có chữ ký số")
    return format_html_join(
        mark_safe("<br>"), '<span class="{}">{} {} — {} ({})</span>', rows)
