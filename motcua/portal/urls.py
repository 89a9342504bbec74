from django.urls import include, path

from motcua.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_search, name="procedure_search"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    # Each area keeps its routes and their access policy in its own package.
    path("", include("motcua.portal.accounts.urls")),
    path("", include("motcua.portal.submission.urls")),
    path("", include("motcua.portal.tracking.urls")),
    path("", include("motcua.portal.payments.urls")),
    path("", include("motcua.portal.feedback.urls")),
    path("", include("motcua.portal.verify.urls")),
    path("", include("motcua.portal.store.urls")),
]
