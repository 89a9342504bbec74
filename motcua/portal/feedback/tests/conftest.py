"""Fixtures of the feedback tests (personas, a returned dossier handled by three officers)."""

from motcua.feedback.tests import conftest as feedback_fixtures

units = feedback_fixtures.units
applicant = feedback_fixtures.applicant
other_applicant = feedback_fixtures.other_applicant
receiver = feedback_fixtures.receiver
receiver_elsewhere = feedback_fixtures.receiver_elsewhere
specialist = feedback_fixtures.specialist
leader = feedback_fixtures.leader
procedure = feedback_fixtures.procedure
returned = feedback_fixtures.returned
