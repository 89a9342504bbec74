from django.urls import path

from motcua.office.feedback import views

urlpatterns = [
    path("phan-anh-kien-nghi/", views.feedback_inbox, name="feedback_inbox"),
    path("phan-anh-kien-nghi/<str:feedback_code>/", views.feedback_detail, name="feedback_detail"),
    path(
        "phan-anh-kien-nghi/<str:feedback_code>/phan-loai/", views.feedback_classify, name="feedback_classify"
    ),
    path("phan-anh-kien-nghi/<str:feedback_code>/giao/", views.feedback_assign, name="feedback_assign"),
    path("phan-anh-kien-nghi/<str:feedback_code>/tra-loi/", views.feedback_answer, name="feedback_answer"),
    path(
        "phan-anh-kien-nghi/<str:feedback_code>/cong-khai/", views.feedback_publish, name="feedback_publish"
    ),
    path("danh-gia/", views.ratings, name="ratings"),
    path("thiet-bi-danh-gia/", views.rating_device, name="rating_device"),
]
