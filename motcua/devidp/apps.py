from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevIdpConfig(AppConfig):
    """A local stand-in for the national identity provider, for tests and the demo only."""

    name = "motcua.devidp"
    label = "devidp"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Nhà cung cấp định danh thử nghiệm")
