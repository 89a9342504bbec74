from django.urls import path

from motcua.portal.submission import supplement, views

urlpatterns = [
    path("nop-truc-tuyen/<str:code>/", views.start, name="submission_start"),
    path("ho-so-da-nop/<str:dossier_code>/", views.done, name="submission_done"),
    path("ho-so-nhap/", views.draft_list, name="draft_list"),
    path("ho-so-nhap/<str:draft_id>/", views.draft_edit, name="draft_edit"),
    path("ho-so-nhap/<str:draft_id>/xoa/", views.draft_delete, name="draft_delete"),
    path("bo-sung-ho-so/<str:dossier_code>/", supplement.supplement, name="supplement"),
]
