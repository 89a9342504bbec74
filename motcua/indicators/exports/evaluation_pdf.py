"""The TT 01/2018/TT-VPCP evaluation (Điều 13–15) as an A4 PDF (WeasyPrint), offline, with the fonts,
the template directory and the local-only URL fetcher of the board's PDF (``exports.pdf``): the unit's
nine indices and grade, the officers' table, the late steps per officer with the dossier codes.

The caller passes the officers' rows and late steps already scoped to what the reader may see. The
template is autoescaped and always rendered in Vietnamese (officers' names are typed by people)."""

import weasyprint  # type: ignore[import-untyped]
from django.template import Context
from django.utils import translation

from motcua.dossiers.pdf.render import PDF_DIR, LocalOnlyURLFetcher
from motcua.indicators.evaluation.accountability import OfficerLateSteps
from motcua.indicators.evaluation.report import Evaluation, OfficerResult
from motcua.indicators.evaluation.scales import OFFICER_INDICES
from motcua.indicators.exports.pdf import engine


def evaluation_html(
    result: Evaluation, officers: list[OfficerResult], late: list[OfficerLateSteps], *, sees_all: bool
) -> str:
    context = {
        "result": result,
        "unit": result.unit,
        "officers": [(o, [o.indices[n] for n in OFFICER_INDICES]) for o in officers],
        "officer_indices": OFFICER_INDICES,
        "late": late,
        "sees_all": sees_all,
    }
    with translation.override("vi"):
        return engine().get_template("evaluation_pdf.html").render(Context(context, autoescape=True))


def evaluation_pdf(
    result: Evaluation, officers: list[OfficerResult], late: list[OfficerLateSteps], *, sees_all: bool
) -> bytes:
    html = evaluation_html(result, officers, late, sees_all=sees_all)
    document = weasyprint.HTML(
        string=html, base_url=PDF_DIR.as_uri() + "/", url_fetcher=LocalOnlyURLFetcher()
    )
    pdf: bytes = document.write_pdf()
    return pdf
