"""The wallet in other apps' pages: the papers offered for a dossier's component (wizard step 2) and where a
dossier's file came from (the wizard, the components summary the clerk reads in the admin)."""

from django import template
from django.utils.translation import gettext as _

from dossiers.signature_display import signature_check_display

from ..models import Origin
from ..selectors import items_offered, use_of

register = template.Library()


@register.simple_tag
def wallet_offers(user, component):
    """The user's wallet items matching the component, issued results first."""
    return items_offered(user=user, component=component)


@register.filter
def wallet_origin(dossier_file) -> str:
    """"From the wallet: issued by X" / "kept by the citizen"; empty for a file uploaded here."""
    use = use_of(dossier_file)
    if use is None:
        return ""
    if use.origin == Origin.ISSUED:
        return _("Từ kho giấy tờ: kết quả do %(agency)s cấp") % {"agency": use.issuer}
    return _("Từ kho giấy tờ: công dân tự lưu")


@register.filter
def wallet_signatures(item) -> str:
    """An issued result's signatures as the check of its dossier file found them (signer, verdict, time)."""
    return signature_check_display(item.signature_check)
