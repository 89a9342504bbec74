"""Official forms (TT 01/2018/TT-VPCP Điều 9, mẫu 01–06) as PDF: see ``forms`` and docs/forms.md."""

from motcua.dossiers.pdf.forms import (
    SupplementItem,
    form_01_receipt,
    form_02_supplement,
    form_03_refusal,
    form_04_apology,
    form_05_control_sheet,
    form_06_register,
)
from motcua.dossiers.pdf.render import render_pdf

__all__ = [
    "SupplementItem",
    "form_01_receipt",
    "form_02_supplement",
    "form_03_refusal",
    "form_04_apology",
    "form_05_control_sheet",
    "form_06_register",
    "render_pdf",
]
