"""The 2022 targets of the seeds (domain-research §1.1).

- Online share, Hải Dương Decision 1217/QĐ-UBND of 12/5/2022 Điều 1 (seed 004; seed 000): ≥ 55 % for
  the provincial departments and the district People's Committees, ≥ 50 % for communes.
- Digitization of dossiers and results, 2022: district 40 %, commune 25 % ("chỉ tiêu UBND tỉnh giao năm
  2022", seed 001, Tứ Kỳ district letter of 9/2022, citing Công văn 430/UBND-VP of 5/4/2022).
- Digitization at the reception unit, commune ≥ 30 % (seed 000, citing CV 550/VP-NC-KSTTHC of 30/10/2021
  and CV 9318/VPCP-KSTT of 21/12/2021).
"""

from decimal import Decimal

from django.db import migrations

DECISION_1217 = "Quyết định 1217/QĐ-UBND ngày 12/5/2022 của Chủ tịch UBND tỉnh Hải Dương"
DIGITIZATION_2022 = "Chỉ tiêu UBND tỉnh giao năm 2022 (Công văn 430/UBND-VP ngày 05/4/2022)"
RECEPTION_2022 = "Công văn 550/VP-NC-KSTTHC ngày 30/10/2021; Công văn 9318/VPCP-KSTT ngày 21/12/2021"

TARGETS = [
    ("online_share_1217", "department", "0.55", DECISION_1217, "Điều 1 khoản 1 (Sở, ban, ngành)"),
    ("online_share_1217", "district", "0.55", DECISION_1217, "Điều 1 khoản 1 (UBND cấp huyện)"),
    ("online_share_1217", "commune", "0.50", DECISION_1217, "Điều 1 khoản 2 (UBND cấp xã)"),
    ("digitized_share", "district", "0.40", DIGITIZATION_2022, "seed 001; the assigning document is cited there"),
    ("digitized_share", "commune", "0.25", DIGITIZATION_2022, "seed 001; the assigning document is cited there"),
    ("digitized_at_reception", "commune", "0.30", RECEPTION_2022, "seed 000: «tỷ lệ tối thiểu 30%»"),
]


def ship(apps, schema_editor):  # type: ignore[no-untyped-def]
    Target = apps.get_model("indicators", "Target")
    for target_id, level, value, decision, note in TARGETS:
        Target.objects.update_or_create(
            target_id=target_id,
            year=2022,
            level=level,
            unit=None,
            defaults={"value": Decimal(value), "decision": decision, "note": note},
        )


def unship(apps, schema_editor):  # type: ignore[no-untyped-def]
    Target = apps.get_model("indicators", "Target")
    for target_id, level, _value, decision, _note in TARGETS:
        Target.objects.filter(target_id=target_id, year=2022, level=level, unit=None, decision=decision).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_targets")]

    operations = [migrations.RunPython(ship, unship)]
