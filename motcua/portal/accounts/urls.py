from django.urls import path

from motcua.portal.accounts import oidc_views, views

urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-nhap/dinh-danh/", oidc_views.NationalIdentityLoginView.as_view(), name="oidc_login"),
    path(
        "dang-nhap/dinh-danh/callback/",
        oidc_views.NationalIdentityCallbackView.as_view(),
        name="oidc_callback",
    ),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("dang-ky/", views.register, name="register"),
    path("dang-ky/xac-minh/", views.verify, name="verify"),
    path("quen-mat-khau/", views.password_reset, name="password_reset"),
    path("quen-mat-khau/dat-lai/", views.password_reset_confirm, name="password_reset_confirm"),
    path("tai-khoan/", views.account, name="account"),
    path("tai-khoan/dai-dien/them/", views.representative_add, name="representative_add"),
    path("tai-khoan/dai-dien/<int:pk>/thu-hoi/", views.representative_revoke, name="representative_revoke"),
    path("tai-khoan/thay-mat/", views.act_for, name="act_for"),
]
