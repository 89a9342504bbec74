from django.urls import URLPattern, URLResolver, path

from motcua.office.evaluation import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("danh-gia-tthc/", views.evaluation, name="evaluation"),
    path("danh-gia-tthc/xuat/excel/", views.evaluation_export_xlsx, name="evaluation_export_xlsx"),
    path("danh-gia-tthc/xuat/pdf/", views.evaluation_export_pdf, name="evaluation_export_pdf"),
]
