from motcua.office.dossier_timeline import tidy


def test_an_officers_full_stop_is_not_doubled():
    assert tidy("Lý do: chưa có kết quả thẩm định.. Nhiệm vụ: xác minh.") == (
        "Lý do: chưa có kết quả thẩm định. Nhiệm vụ: xác minh."
    )
    assert tidy("Hỏi: có đúng không?.") == "Hỏi: có đúng không?"
    assert tidy("Số 12.3 và v.v. giữ nguyên.") == "Số 12.3 và v.v. giữ nguyên."
