"""The wallet in other apps' pages: the papers offered for a dossier's components (wizard step 2) and where a
dossier's files came from (the wizard, the components summary the clerk reads in the admin)."""

from django import template
from django.utils.translation import gettext as _

from dossiers.signature_display import signature_check_display

from ..models import Origin
from ..selectors import items_offered, uses_of

register = template.Library()


@register.simple_tag
def wallet_offers(user, components) -> dict:
    """{component pk: the user's wallet items matching it, issued results first}, read once for the page."""
    return items_offered(user=user, components=components)


def _origin(use) -> str:
    if use is None:
        return ""
    if use.origin == Origin.ISSUED:
        return _("Từ kho giấy tờ: kết quả do %(agency)s cấp") % {"agency": use.issuer}
    return _("Từ kho giấy tờ: công dân tự lưu")


@register.simple_tag
def wallet_origins(dossier_files) -> dict:
    """{dossier file pk: "From the wallet: issued by X" / "kept by the citizen"} for a page's files, read once."""
    return {pk: _origin(use) for pk, use in uses_of(dossier_files).items()}


@register.filter
def of(mapping: dict, row):
    """`mapping|of:row`: what a mapping read for a whole page (wallet_offers, wallet_origins) holds for this row."""
    return mapping.get(row.pk)


@register.filter
def wallet_signatures(item) -> str:
    """An issued result's signatures as the check of its dossier file found them (signer, verdict, time)."""
    return signature_check_display(item.signature_check)
