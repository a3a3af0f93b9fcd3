"""The demo's pages: the mailbox of `make run` (DEMO_MODE) and the benchmarks' ping (BENCH_ENDPOINTS).

Each is routed only when its setting is on (portal/urls.py), so neither checks a setting here.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from . import mailbox


def mailbox_list(request):
    """Hộp thư thử nghiệm: the e-mails written by the file backend, newest first."""
    return render(request, "demo/mailbox_list.html", {"messages_list": mailbox.mailbox_messages()})


def mailbox_detail(request, name, index):
    message = mailbox.mailbox_message(name=name, index=index)
    if message is None:
        raise Http404
    return render(request, "demo/mailbox_detail.html", {"message": message, "back": reverse("demo:mailbox")})


def ping(request):
    """The smallest view of the stack: the ceiling the benchmarks compare endpoints against."""
    return HttpResponse("ok", content_type="text/plain")
