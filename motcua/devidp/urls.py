"""Routes of the development identity provider, mounted at /idp/ (MOTCUA_DEV_IDP=1, or in tests).

Only what an OpenID Connect relying party uses: discovery, JWKS, authorization, token and userinfo
(no client management, device flow or dynamic registration). django-oauth-toolkit's views reverse
their own names in the ``oauth2_provider`` namespace, hence that name.
"""

from django.urls import include, path, re_path
from oauth2_provider import views as oauth2_views  # type: ignore[import-untyped]

from motcua.devidp import views

provider_patterns = [
    path("authorize/", views.AuthorizeView.as_view(), name="authorize"),
    path("token/", oauth2_views.TokenView.as_view(), name="token"),
    path("userinfo/", oauth2_views.UserInfoView.as_view(), name="user-info"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        oauth2_views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", oauth2_views.JwksInfoView.as_view(), name="jwks-info"),
]
page_patterns = [path("dang-nhap/", views.sign_in, name="sign_in")]

urlpatterns = [
    path("", include((provider_patterns, "oauth2_provider"))),
    path("", include((page_patterns, "devidp"))),
]
