from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    verbose_name = _("Tài liệu, số hoá")

    def ready(self) -> None:
        from motcua.documents import checks  # noqa: F401  (registers the deploy checks)
