import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.accounts.identity import applicant_id_problem, national_id_problem, tax_code_problem


@pytest.mark.parametrize("value", ["030090012345", "001088003311", " 034182007788 "])
def test_valid_national_ids(value):
    assert national_id_problem(value) is None
    assert applicant_id_problem(value) is None


@pytest.mark.parametrize(
    ("value", "words"),
    [("03009001234", "12 chữ số"), ("03009001234a", "12 chữ số"), ("999090012345", "mã tỉnh «999»")],
)
def test_invalid_national_ids_say_why(value, words):
    assert words in national_id_problem(value)


@pytest.mark.parametrize("value", ["0100109106", "0800123459", "0100109106-001"])
def test_valid_tax_codes(value):
    assert tax_code_problem(value) is None
    assert applicant_id_problem(value) is None


def test_tax_code_check_digit_is_verified():
    assert "chữ số kiểm tra" in tax_code_problem("0100109107")


def test_a_number_of_neither_shape_names_both_shapes():
    problem = applicant_id_problem("03009001234")
    assert "12 chữ số" in problem and "10 chữ số" in problem


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_exactly_one_check_digit_makes_a_valid_tax_code(body):
    digits = f"{body:09d}"
    valid = [d for d in "0123456789" if tax_code_problem(digits + d) is None]
    assert len(valid) <= 1
