"""Keeps of one citizen's pressed at the same moment from separate connections (the quota and rate limit races)."""

from django.test import Client
from django.urls import reverse

from tests.factories.dossiers import pdf_upload
from tests.support.threads import run_together


def keeps_in_parallel(citizen, people: int) -> list[tuple[int, str]]:
    """`people` posts of the wallet page's form, released together; their (status, page) in order."""
    clients = [Client() for _ in range(people)]
    for client in clients:
        client.force_login(citizen)
    responses = run_together(*[
        lambda n=n: clients[n].post(reverse("wallet:index"), {"title": f"Giấy tờ {n}", "file": pdf_upload(f"g{n}.pdf")})
        for n in range(people)
    ], raise_errors=True)
    return [(response.status_code, response.content.decode()) for response in responses]
