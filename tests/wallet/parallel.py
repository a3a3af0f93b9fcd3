"""Keeps of one citizen's pressed at the same moment from separate connections (the quota and rate limit races)."""

import threading

from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories.dossiers import pdf_upload


def keeps_in_parallel(citizen, people: int) -> list[tuple[int, str]]:
    """`people` posts of the wallet page's form, released together; their (status, page) in order."""
    barrier, results = threading.Barrier(people), [None] * people

    def press(n):
        client = Client()
        client.force_login(citizen)
        try:
            barrier.wait()
            response = client.post(reverse("wallet:index"), {"title": f"Giấy tờ {n}", "file": pdf_upload(f"g{n}.pdf")})
            results[n] = (response.status_code, response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
