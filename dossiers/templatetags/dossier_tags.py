"""A dossier's state as a coloured badge: the colours in one place, and no template include per row of a list."""

from django import template
from django.utils.html import format_html

from dossiers.constants import DossierStatus as S
from dossiers.workflow import dossier_payable

register = template.Library()

BADGE_COLOURS = {
    S.DRAFT: "secondary",
    S.REFUSED: "danger", S.STOPPED: "danger",
    S.SUPPLEMENT: "warning", S.PAYMENT: "warning", S.WITHDRAWAL: "warning",
    S.DONE: "success", S.RETURNED: "success",
}  # the others (submitted, received, processing): primary


@register.simple_tag
def status_badge(dossier) -> str:
    return format_html('<span class="badge text-bg-{}">{}</span>', BADGE_COLOURS.get(dossier.status, "primary"),
                       dossier.status_label)


@register.filter
def lookup_link(dossier) -> str:
    """The public lookup's address with the dossier's code filled in (never its key)."""
    from dossiers.pdf import lookup_url

    return lookup_url(dossier)


@register.filter
def payable(dossier) -> bool:
    """Whether the dossier's fee can be paid now: workflow.dossier_payable, the pay button's one rule."""
    return dossier_payable(dossier)
