"""Several tabs or retries posting the same form at the same instant: one dossier, one code, and every
request answered with it (QUALITY.md: created = unique keys, 0 duplicates, 0 lost)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from motcua.core.models import IssuedNumber
from motcua.dossiers.models import Dossier, DossierDraft
from motcua.portal.submission.tests.helpers import components, form_data, pdf_upload

CLIENTS = 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submits_make_one_dossier(clock, applicant, procedure, units):
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs concurrent PostgreSQL connections (SQLite serialises writers)")
    # given the same form posted from several connections at once
    required, _optional = components(procedure)
    url = reverse("portal:submission_start", args=[procedure.code])
    clients = []
    for _ in range(CLIENTS):
        client = Client()
        client.force_login(applicant)
        clients.append(client)
    barrier = threading.Barrier(CLIENTS)
    answers: list[object] = [None] * CLIENTS

    def post(i: int) -> None:
        try:
            data = form_data(procedure, units, **{f"c{required.pk}-file": pdf_upload()})
            barrier.wait(timeout=30)
            response = clients[i].post(url, data)
            answers[i] = (response.status_code, response.get("Location"))
        except Exception as exc:
            answers[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    # then
    dossier = Dossier.objects.get()
    done = reverse("portal:submission_done", args=[dossier.code])
    assert answers == [(302, done)] * CLIENTS
    assert dossier.components.count() == 1
    assert not DossierDraft.objects.exists()
    assert IssuedNumber.objects.count() == 1
