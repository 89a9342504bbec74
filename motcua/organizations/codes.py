"""Electronic agency codes (mã định danh điện tử), QCVN 102:2016/BTTTT.

Shape ``V1V2V3.Z1Z2.Y1Y2.MX1X2``: levels 4, 3 and 2 as digit groups, then the level-1 unit as a letter
A–Y and two digits (``H..`` provinces, ``G..`` ministries), e.g. ``000.00.06.H56``
(TT 01/2018/TT-VPCP Điều 19 uses it as the prefix of every dossier code).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

AGENCY_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Y]\d{2}$")


def agency_code_problem(code: str) -> str | None:
    """Why ``code`` is not a QCVN 102:2016 agency code, or None when it is one."""
    if not code:
        return _("Mã định danh không được để trống.")
    if AGENCY_CODE_RE.fullmatch(code):
        return None
    return _(
        "Mã định danh «%(code)s» không đúng dạng QCVN 102:2016 (VVV.ZZ.YY.MXX, ví dụ 000.00.06.H56)."
    ) % {"code": code}


def validate_agency_code(code: str) -> None:
    problem = agency_code_problem(code)
    if problem:
        raise ValidationError(problem, code="agency_code")


def level1_code(code: str) -> str:
    """The right-most group: the province (H..) or ministry (G..) the unit belongs to."""
    return code.rsplit(".", 1)[-1]
