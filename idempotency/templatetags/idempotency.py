import uuid

from django import template
from django.utils.html import format_html

from ..constants import FORM_FIELD

register = template.Library()


@register.simple_tag
def idempotency_input():
    """A hidden input with a fresh key: sending the form twice (a retry, a double click) does the work once."""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, uuid.uuid4().hex)
