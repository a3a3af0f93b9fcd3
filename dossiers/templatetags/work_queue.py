"""The clerk's work queue on the admin index."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("admin/dossiers/_work_queue.html", takes_context=True)
def work_queue(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"buckets": selectors.work_queue(user=user) if user is not None else []}
