from motcua.office.dossier_timeline import tidy


def test_an_officers_full_stop_is_not_doubled():
    assert tidy("Lý do: chưa có kết quả thẩm định.. Nhiệm vụ: xác minh.") == (
        "Lý do: chưa có kết quả thẩm định. Nhiệm vụ: xác minh."
    )
    assert tidy("Hỏi: có đúng không?.") == "Hỏi: có đúng không?"
    assert tidy("Số 12.3 và v.v. giữ nguyên.") == "Số 12.3 và v.v. giữ nguyên."


def test_digitization_and_signature_events_read_in_plain_vietnamese():
    from motcua.dossiers.models import DossierEvent
    from motcua.dossiers.workflow import EventKind
    from motcua.office.dossier_timeline import describe

    def text(kind: str, data: dict[str, object]) -> str:
        return describe(DossierEvent(kind=kind, data=data), {})

    assert text(
        EventKind.COMPONENT_DIGITIZED,
        {"name": "Tờ khai", "pages": 2, "text_layer": True, "dossier_digitized": True},
    ) == ("Số hóa và ký số «Tờ khai»: 2 trang. Có lớp chữ (OCR). Hồ sơ đã số hóa xong.")
    assert text(EventKind.RESULT_SIGNED, {"number": "125/2026"}) == (
        "Ký số kết quả số 125/2026; tệp đã ký là kết quả điện tử."
    )
    assert text(EventKind.RESULT_COPY_CERTIFIED, {"number": ""}) == "Ký số sao y kết quả số —."
    assert text(EventKind.FORM_SIGNED, {"form": "01"}) == "Ký số mẫu 01."
