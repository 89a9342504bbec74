"""Template filters of the PDF template engine (a builtin there, so templates need no ``{% load %}``)."""

from django import template

from motcua.dossiers.pdf import dates

register = template.Library()

register.filter("vi_date", dates.short_date)
register.filter("vi_datetime", dates.short_datetime)
register.filter("vi_long_date", dates.long_date)
register.filter("vi_time_long_date", dates.time_and_long_date)
