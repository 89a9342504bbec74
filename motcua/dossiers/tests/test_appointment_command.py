"""``motcua appointment``: the same rule as reception, clear Vietnamese errors."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.catalog.models import TimeUnit
from motcua.dossiers.queries import appointment_for

from .conftest import local


def run(*args: str) -> str:
    out = StringIO()
    call_command("appointment", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_prints_the_appointment_with_its_offset(procedure, units):
    code = units.commune.code
    # Wednesday before Tết 2024, 15:30: after the cut-off, so 15/2 07:00 + 3 working days.
    assert run("--procedure", "1.001193", "--unit", code, "--at", "2024-02-07T15:30:00+07:00") == (
        "2024-02-19T17:00:00+07:00"
    )
    # The same instant online: 1.5 h on 7/2, 8 h on 15/2 and 16/2, 6.5 h on 19/2.
    assert run(
        "--procedure", "1.001193", "--unit", code, "--at", "2024-02-07T08:30:00Z", "--channel", "2"
    ) == ("2024-02-19T15:30:00+07:00")
    assert run("--procedure", "1.001193", "--unit", code, "--at", "2024-03-04T08:00:00+07:00") == (
        "2024-03-07T08:00:00+07:00"
    )


@pytest.mark.django_db
def test_a_procedure_without_time_limit(procedure, units):
    procedure.time_unit = TimeUnit.NONE
    procedure.save()
    assert "không có ngày hẹn" in run(
        "--procedure", "1.001193", "--unit", units.commune.code, "--at", "2024-03-04T08:00+07:00"
    )
    assert appointment_for("1.001193", units.commune.code, local(2024, 3, 4, 8)) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--procedure", "9.999999", "--unit", "000.21.10.H56", "--at", "2024-03-04T08:00+07:00"],
            "Không có thủ tục mã «9.999999»",
        ),
        (
            ["--procedure", "1.001193", "--unit", "000.99.99.H99", "--at", "2024-03-04T08:00+07:00"],
            "Không có đơn vị",
        ),
        (["--procedure", "1.001193", "--unit", "000.21.10.H56", "--at", "2024-03-04T08:00"], "thiếu múi giờ"),
        (
            ["--procedure", "1.001193", "--unit", "000.21.10.H56", "--at", "thứ hai"],
            "không phải thời điểm ISO 8601",
        ),
    ],
)
def test_clear_errors(procedure, units, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


@pytest.mark.django_db
def test_the_function_refuses_naive_datetimes(procedure, units):
    from motcua.dossiers.queries import AppointmentQuestionError

    with pytest.raises(AppointmentQuestionError, match="múi giờ"):
        appointment_for("1.001193", units.commune.code, dt.datetime(2024, 3, 4, 8))  # noqa: DTZ001
