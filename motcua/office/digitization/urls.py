from django.urls import URLPattern, URLResolver, path

from motcua.office.digitization import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("ho-so/<str:dossier_code>/so-hoa/", views.dossier_digitize, name="dossier_digitize"),
    path("so-hoa/ton-dong/", views.digitization_backlog, name="digitization_backlog"),
]
