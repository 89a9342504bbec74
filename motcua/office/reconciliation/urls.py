from django.urls import URLPattern, URLResolver, path

from motcua.office.reconciliation import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("doi-chieu-so/", views.reconciliation, name="reconciliation"),
    path("doi-chieu-so/nhap/", views.reconciliation_new, name="reconciliation_new"),
    path("doi-chieu-so/<str:public_id>/", views.reconciliation_detail, name="reconciliation_detail"),
    path(
        "doi-chieu-so/<str:public_id>/excel/",
        views.reconciliation_export_xlsx,
        name="reconciliation_export_xlsx",
    ),
    path(
        "doi-chieu-so/<str:public_id>/pdf/", views.reconciliation_export_pdf, name="reconciliation_export_pdf"
    ),
]
