"""Shared fixtures. Personas follow STYLE.md: applicant, receiver, leader, ..."""
