from django.urls import URLPattern, URLResolver, path

from motcua.office.signing import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("ho-so/<str:dossier_code>/ky-ket-qua/", views.dossier_sign_result, name="dossier_sign_result"),
    path(
        "ho-so/<str:dossier_code>/sao-y-ket-qua/",
        views.dossier_certify_result_copy,
        name="dossier_certify_result_copy",
    ),
    path("ho-so/<str:dossier_code>/ky-mau/<str:number>/", views.dossier_sign_form, name="dossier_sign_form"),
    path(
        "ho-so/<str:dossier_code>/mau-da-ky/<int:signed_form_id>/",
        views.dossier_signed_form_file,
        name="dossier_signed_form_file",
    ),
    path("ho-so/<str:dossier_code>/chu-ky/", views.dossier_signatures, name="dossier_signatures"),
]
