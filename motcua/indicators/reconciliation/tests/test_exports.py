"""The comparison as Excel (read back from the sheet XML: numbers are numbers, an applicant's name that
would start a formula stays quote-prefixed text) and as PDF (read back with pdftotext)."""

import subprocess

import pytest

from motcua.dossiers.models import Dossier
from motcua.indicators.reconciliation.compare import compare
from motcua.indicators.reconciliation.exports import comparison_pdf, comparison_workbook
from motcua.indicators.reconciliation.models import RegisterCount
from motcua.indicators.reconciliation.tests.conftest import book
from motcua.indicators.tests.builders import at, make_dossier
from motcua.indicators.tests.test_exports import EVIL, read_workbook, row_of

pytestmark = pytest.mark.django_db


def evil(dossier: Dossier) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(applicant_name=EVIL)


@pytest.fixture
def entry(world, receiver):  # type: ignore[no-untyped-def]
    evil(make_dossier(world.commune, world.online))
    make_dossier(world.commune, world.online, received_at=at(1, 9, month=9))  # a candidate
    first = book(receiver, world.commune, 3, note="=1+1")
    return book(receiver, world.commune, 2, finished=0, note="Đếm lại", replaces=first)


def test_the_workbook_has_the_numbers_the_history_and_safe_texts(entry):
    history = list(RegisterCount.objects.of_key(entry))

    book_ = read_workbook(comparison_workbook(compare(entry), history))

    assert list(book_) == ["Đối chiếu", "Hồ sơ cần kiểm tra"]
    summary = book_["Đối chiếu"]
    line = row_of(summary, "A", "Hồ sơ tiếp nhận")
    assert summary[f"B{line}"] == ("2", "n", False)  # paper
    assert summary[f"C{line}"] == ("1", "n", False)  # system
    assert summary[f"D{line}"] == ("1", "n", False)  # difference
    late = row_of(summary, "A", "Hồ sơ giải quyết quá hạn")
    assert summary[f"B{late}"][0] == "không nhập"
    # the history keeps the old values; a note that looks like a formula is quoted text
    assert ("=1+1", "s", True) in summary.values()
    assert ("3", "n", False) in summary.values() and ("Đếm lại", "s", False) in summary.values()
    checks = book_["Hồ sơ cần kiểm tra"]
    assert ("Tiếp nhận ngay sau kỳ", "s", False) in checks.values()


def test_a_name_that_looks_like_a_formula_stays_text(world, receiver):
    evil(make_dossier(world.commune, world.online))
    entry = book(receiver, world.commune, 0)  # the system counts more: its dossiers are listed

    cells = read_workbook(comparison_workbook(compare(entry), [entry]))["Hồ sơ cần kiểm tra"]

    assert (EVIL, "s", True) in cells.values()


def test_the_pdf_has_the_unit_the_numbers_and_the_dossiers(entry, tmp_path):
    pdf = comparison_pdf(compare(entry), list(RegisterCount.objects.of_key(entry)))

    assert pdf.startswith(b"%PDF")
    path = tmp_path / "doi-chieu.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert "UBND xã Gia Tân" in text
    assert "Sổ tiếp nhận và trả kết quả" in text
    assert "Tiếp nhận ngay sau" in text  # the reason (its cell may wrap)
    assert "Đếm lại" in text
