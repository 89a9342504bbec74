"""Officer downloads of a dossier's files: the scan of a paper (thành phần hồ sơ) and the result.

Scoped like every officer read (``queries.get_dossier_for_user``): a dossier the officer may not see
answers 404, exactly like a missing one or a missing file. Files are served as attachments with
``nosniff`` under a name built from the dossier code (``core.downloads``), never inline: an uploaded
file may be hostile (QUALITY.md security item 4).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.core.downloads import attachment, streamed, tampered_response
from motcua.core.integrity import TamperedFile
from motcua.office.auth import officer_required
from motcua.office.dossier_views import guarded_dossier


@never_cache
@officer_required
@require_safe
def component_file(request: HttpRequest, dossier_code: str, component_id: int) -> HttpResponse:
    """The stored scan of one paper of a dossier the officer may see; refused (409) when it changed on
    disk since it was stored (its SHA-256, NĐ 45/2020/NĐ-CP Điều 8)."""
    dossier = guarded_dossier(request, dossier_code)
    component = dossier.components.filter(pk=component_id).first()
    if component is None:
        raise Http404
    stem = f"{dossier.code}-tp{component.position:02d}"
    return streamed(attachment(component.file, stem=stem, sha256=component.file_sha256))


@never_cache
@officer_required
@require_safe
def result_file(request: HttpRequest, dossier_code: str) -> HttpResponse:
    """The result file recorded for a dossier the officer may see; refused (409) when it changed on disk
    since it was stored or signed."""
    dossier = guarded_dossier(request, dossier_code)
    try:
        return streamed(
            attachment(dossier.result_file, stem=f"{dossier.code}-ket-qua", sha256=dossier.result_sha256)
        )
    except TamperedFile:
        return tampered_response()
