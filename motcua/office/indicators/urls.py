from django.urls import URLPattern, URLResolver, path

from motcua.office.indicators import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("chi-so/", views.indicator_board, name="indicator_board"),
    path("chi-so/ho-so/", views.indicator_dossiers, name="indicator_dossiers"),
    path("chi-so/xuat/excel/", views.indicator_export_xlsx, name="indicator_export_xlsx"),
    path("chi-so/xuat/pdf/", views.indicator_export_pdf, name="indicator_export_pdf"),
]
