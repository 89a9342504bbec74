from django.urls import include, path

from motcua.office import (
    assisted_views,
    catalog_views,
    certification_action_views,
    certification_views,
    dossier_action_views,
    dossier_views,
    file_views,
    intake_views,
    step_action_views,
    views,
)

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
    # dossiers
    path("tiep-nhan/", intake_views.intake, name="intake"),
    path("tiep-nhan/lich-hen/", intake_views.appointment_preview, name="appointment_preview"),
    path("ho-so-truc-tuyen/", intake_views.online_queue, name="online_queue"),
    path("ho-tro-nop-truc-tuyen/", assisted_views.assisted, name="assisted"),
    path("ho-tro-nop-truc-tuyen/<str:draft_id>/", assisted_views.assisted_done, name="assisted_done"),
    path("viec-cua-toi/", dossier_views.my_worklist, name="worklist"),
    path("ho-so/", dossier_views.dossier_list, name="dossier_list"),
    path("so-theo-doi/", dossier_views.register_pdf, name="register"),
    path("ho-so/<str:dossier_code>/", dossier_views.dossier_detail, name="dossier_detail"),
    path(
        "ho-so/<str:dossier_code>/mau/<str:number>/", dossier_views.dossier_form_pdf, name="dossier_form_pdf"
    ),
    path(
        "ho-so/<str:dossier_code>/thanh-phan/<int:component_id>/tep/",
        file_views.component_file,
        name="dossier_component_file",
    ),
    path("ho-so/<str:dossier_code>/ket-qua/tep/", file_views.result_file, name="dossier_result_file"),
    *(
        path(f"ho-so/<str:dossier_code>/{slug}/", view, name=f"dossier_{name}")
        for name, slug, view in dossier_action_views.DOSSIER_ACTIONS
    ),
    *(
        path(f"ho-so/<str:dossier_code>/buoc/<int:step_id>/{slug}/", view, name=f"step_{name}")
        for name, slug, view in step_action_views.STEP_ACTIONS
    ),
    # Each area keeps its routes and their access policy in its own package.
    path("", include("motcua.office.payments.urls")),
    path("", include("motcua.office.feedback.urls")),
    path("", include("motcua.office.digitization.urls")),
    path("", include("motcua.office.signing.urls")),
    path("", include("motcua.office.certificates.urls")),
    path("", include("motcua.office.store.urls")),
    path("", include("motcua.office.indicators.urls")),
    path("", include("motcua.office.warnings.urls")),
    path("", include("motcua.office.evaluation.urls")),
    path("", include("motcua.office.reconciliation.urls")),
    path("", include("motcua.office.targets.urls")),
    # certification of copies from originals (chứng thực bản sao)
    path("chung-thuc/", certification_views.certification_list, name="certification_list"),
    path("chung-thuc/tiep-nhan/", certification_views.certification_receive, name="certification_receive"),
    path("chung-thuc/so/", certification_views.certification_book, name="certification_book"),
    path("chung-thuc/so/in/", certification_views.certification_book_pdf, name="certification_book_pdf"),
    path(
        "chung-thuc/<str:public_id>/", certification_views.certification_detail, name="certification_detail"
    ),
    path(
        "chung-thuc/<str:public_id>/ky/",
        certification_views.certification_approve,
        name="certification_approve",
    ),
    path(
        "chung-thuc/<str:public_id>/tu-choi/",
        certification_views.certification_refuse,
        name="certification_refuse",
    ),
    path(
        "chung-thuc/<str:public_id>/ban-sao.pdf",
        certification_views.certification_pdf,
        name="certification_pdf",
    ),
    path(
        "chung-thuc/<str:public_id>/thu-phi/",
        certification_action_views.certification_pay,
        name="certification_pay",
    ),
    path(
        "chung-thuc/<str:public_id>/bien-lai.pdf",
        certification_action_views.certification_receipt,
        name="certification_receipt",
    ),
    path(
        "chung-thuc/<str:public_id>/ky-so/",
        certification_action_views.certification_sign,
        name="certification_sign",
    ),
    path(
        "chung-thuc/<str:public_id>/kho-du-lieu/",
        certification_action_views.certification_store,
        name="certification_store",
    ),
]
