from django.urls import path

from motcua.portal.feedback import views

urlpatterns = [
    path("danh-gia/<str:dossier_code>/", views.rate, name="rate"),
    path("phan-anh-kien-nghi/", views.feedback_answers, name="feedback_answers"),
    path("phan-anh-kien-nghi/gui/", views.feedback_submit, name="feedback_submit"),
    path("phan-anh-kien-nghi/tra-cuu/", views.feedback_track, name="feedback_track"),
]
