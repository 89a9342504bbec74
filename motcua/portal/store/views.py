"""Kho dữ liệu của tôi: the applicant's data store on the portal (NĐ 45/2020/NĐ-CP Điều 16).

The signed-in applicant sees the documents kept under their own ID number (national ID of a citizen,
tax code of an organisation) with their typed fields, downloads them (SHA-256 checked: a file changed
on disk is refused with 409), and sees every use of each document — when, by whom, in which unit and
dossier (TT 01/2023/TT-VPCP; NĐ 107/2021/NĐ-CP Điều 21a). Reads only; another person's document answers
404 like a missing one.
"""

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.accounts.models import User
from motcua.core.downloads import attachment, streamed
from motcua.documents.models import StoredDocument, StoreUse
from motcua.documents.store import documents_of
from motcua.dossiers.queries import store_owner_of
from motcua.portal.auth import applicant_required, current_applicant


def _applicant(request: HttpRequest) -> User:
    user = current_applicant(request)
    if user is None:  # applicant_required ran first; this only narrows the type
        raise Http404
    return user


def _own_documents(user: User) -> QuerySet[StoredDocument]:
    return documents_of(store_owner_of(user))


@never_cache
@applicant_required
@require_safe
def my_store(request: HttpRequest) -> HttpResponse:
    """Every document of the applicant's store, newest first, each with its uses (newest first)."""
    user = _applicant(request)
    uses = StoreUse.objects.select_related("unit", "used_by").order_by("-used_at", "-id")
    documents = _own_documents(user).prefetch_related(Prefetch("uses", queryset=uses))
    context = {"documents": list(documents), "owner_known": bool(store_owner_of(user))}
    return render(request, "portal/store/my_store.html", context)


@never_cache
@applicant_required
@require_safe
def my_store_file(request: HttpRequest, document_id: int) -> HttpResponse:
    """One document of the applicant's own store as a download, refused (409) if it changed on disk."""
    document = _own_documents(_applicant(request)).filter(pk=document_id).first()
    if document is None:
        raise Http404
    stem = f"kho-du-lieu-{document.pk}"
    return streamed(attachment(document.file, stem=stem, sha256=document.sha256))
