from django.urls import URLPattern, path

from motcua.portal.tracking import views

# Included into the portal's namespace: names are ``portal:<name>``. ``/tra-cuu/`` is printed (and
# QR-encoded) on receipt form 01 (``dossiers.pdf.forms.lookup_url``): never move it.
urlpatterns: list[URLPattern] = [
    path("tra-cuu/", views.lookup, name="lookup"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<str:dossier_code>/", views.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<str:dossier_code>/ket-qua/", views.my_result_file, name="my_result_file"),
    path("ket-qua-cua-toi/", views.my_results, name="my_results"),
    path("thong-bao/", views.notifications, name="notifications"),
]
