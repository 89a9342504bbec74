"""``{% my_warning_count as n %}``: how many early-warning items of the current unit the signed-in
officer must act on (the badge of the "Cảnh báo sớm" link on the dashboard; docs/early-warning.md)."""

from typing import Any

from django import template

from motcua.office.warnings.views import my_warning_count as _count

register = template.Library()


@register.simple_tag(takes_context=True)
def my_warning_count(context: dict[str, Any]) -> int:
    request = context.get("request")
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return 0
    return _count(request)
