from django.urls import path

from motcua.office import catalog_views, views

app_name = "office"
urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("chon-don-vi/", views.choose_unit, name="choose_unit"),
    path("", views.dashboard, name="dashboard"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<str:code>/sua/", catalog_views.procedure_edit, name="procedure_edit"),
    path("thu-tuc/<str:code>/cong-khai/", catalog_views.procedure_publish, name="procedure_publish"),
]
