import pytest
from django.utils import translation

from motcua.organizations.codes import agency_code_problem, level1_code


@pytest.mark.parametrize("code", ["000.00.06.H56", "000.00.00.H23", "000.01.20.H23", "000.00.00.G03"])
def test_valid_agency_codes(code):
    assert agency_code_problem(code) is None


@pytest.mark.parametrize(
    "code",
    ["", "000.00.06.h56", "00.00.06.H56", "000.00.06.Z56", "000.00.06.H5", "000-00-06-H56", " 000.00.06.H56"],
)
def test_invalid_agency_codes_are_named_in_the_message(code):
    problem = agency_code_problem(code)
    assert problem is not None
    assert code.strip() == "" or code in problem


def test_level1_code_is_the_province_or_ministry():
    assert level1_code("000.00.06.H56") == "H56"


def test_error_messages_have_an_english_translation():
    vietnamese = agency_code_problem("ABC")
    with translation.override("en"):
        english = agency_code_problem("ABC")
    assert "không đúng dạng" in vietnamese
    assert english != vietnamese
    assert "ABC" in english
    assert "QCVN 102:2016" in english
