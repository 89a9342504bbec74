"""Applicant identifiers: the 12-digit national ID number and the enterprise tax code.

Citizen ID (số định danh cá nhân / CCCD, NĐ 137/2015/NĐ-CP Điều 7, TT 07/2016/TT-BCA): 3 digits of the
province of birth registration, 1 digit of century and sex, 2 digits of the birth year, 6 random
digits. Tax code (mã số thuế, TT 105/2020/TT-BTC Điều 5): 10 digits whose last is a check digit, or
10 digits, a hyphen and a 3-digit branch number; since 1/7/2025 individuals use the 12-digit ID.
"""

import re

from django.utils.translation import gettext as _

# Province codes of birth registration used in the first 3 digits (TT 07/2016/TT-BCA, Phụ lục).
PROVINCE_CODES = frozenset(
    {
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    }
)

_NATIONAL_ID_RE = re.compile(r"^\d{12}$")
_TAX_CODE_RE = re.compile(r"^(\d{10})(-\d{3})?$")
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def national_id_problem(value: str) -> str | None:
    """Why ``value`` is not a citizen ID number, or None when it is one."""
    value = value.strip()
    if not _NATIONAL_ID_RE.fullmatch(value):
        return _("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    if value[:3] not in PROVINCE_CODES:
        return _("Số định danh cá nhân có mã tỉnh «%(code)s» không tồn tại.") % {"code": value[:3]}
    return None


def tax_code_problem(value: str) -> str | None:
    """Why ``value`` is not a tax code (10 digits with a valid check digit, optional -NNN branch)."""
    value = value.strip()
    if _NATIONAL_ID_RE.fullmatch(value):
        return national_id_problem(value)
    match = _TAX_CODE_RE.fullmatch(value)
    if not match:
        return _("Mã số thuế phải gồm 10 chữ số (hoặc 10 chữ số, dấu gạch ngang và 3 chữ số chi nhánh).")
    digits = [int(c) for c in match.group(1)]
    check = 10 - sum(w * d for w, d in zip(_TAX_WEIGHTS, digits, strict=False)) % 11
    if check == 10 or check != digits[9]:
        return _("Mã số thuế «%(code)s» có chữ số kiểm tra không đúng.") % {"code": value}
    return None


def applicant_id_problem(value: str) -> str | None:
    """An applicant is a person (12-digit ID) or an organisation (tax code)."""
    value = value.strip()
    if len(value) == 12 and value.isdigit():
        return national_id_problem(value)
    if _TAX_CODE_RE.fullmatch(value):
        return tax_code_problem(value)
    # Neither shape: say what both should look like, since we cannot know which one was meant.
    return _(
        "Số định danh cá nhân phải gồm đúng 12 chữ số; mã số thuế của tổ chức gồm 10 chữ số "
        "(hoặc 10 chữ số, dấu gạch ngang và 3 chữ số chi nhánh)."
    )
