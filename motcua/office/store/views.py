"""Looking up a person's data store at the counter ("Kho dữ liệu", docs/data-store.md).

A receiver of the current unit types the person's national ID number or tax code (POST: the number
never appears in a URL or a log) and sees the documents of that person's store that are still valid —
results, digitized papers, certified copies, with their typed fields — to tell the person which papers
need not be handed in again (NĐ 107/2021/NĐ-CP Điều 21a). A lookup records nothing; using a document
in a dossier happens at intake, where the use is recorded.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.accounts.identity import applicant_id_problem
from motcua.dossiers import permissions
from motcua.dossiers.services.data_store import store_of_people
from motcua.office.auth import current_unit, officer, officer_required


class LookupForm(forms.Form):
    id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân / mã số thuế"),
        max_length=14,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "form-control"}
        ),
        error_messages={"required": gettext_lazy("Hãy nhập số định danh cá nhân hoặc mã số thuế.")},
    )

    def clean_id_number(self) -> str:
        value: str = self.cleaned_data["id_number"].strip()
        problem = applicant_id_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


@never_cache
@officer_required
@require_http_methods(["GET", "POST"])
def store_lookup(request: HttpRequest) -> HttpResponse:
    """The receiver's lookup of one person's store (receivers of the current unit only: 403 else)."""
    unit = current_unit(request)
    if unit is None:
        return redirect("office:choose_unit")
    if not permissions.can_receive(officer(request), unit):
        raise PermissionDenied
    form = LookupForm(request.POST if request.method == "POST" else None)
    documents = None
    if form.is_bound and form.is_valid():
        documents = store_of_people(form.cleaned_data["id_number"], at=timezone.localdate())
    status = 400 if form.is_bound and form.errors else 200
    context = {"unit": unit, "form": form, "documents": documents}
    return render(request, "office/store/lookup.html", context, status=status)
