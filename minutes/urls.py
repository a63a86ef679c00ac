from django.urls import path

from minutes import views
from minutes import views_secretariat as sec

app_name = "minutes"

urlpatterns = [
    path("moeder/<int:pk>/referat/", views.member_page, name="member"),
    path("moeder/<int:pk>/referat/kommentar/", views.comment_add, name="comment_add"),
    path("moeder/<int:pk>/referat/ingen-bemaerkninger/", views.no_remarks, name="no_remarks"),
    path("moeder/<int:pk>/referat/version/<int:number>/", views.version_page, name="version"),
    path("moeder/<int:pk>/referat/version/<int:number>.pdf", views.version_pdf, name="version_pdf"),
    path("moeder/<int:pk>/referat/sammenlign/", views.compare, name="compare"),
    path("moeder/<int:pk>/referat/offentligt/", views.public_page, name="public"),
    path("moeder/<int:pk>/referat.pdf", views.public_pdf, name="public_pdf"),
    path("referat/kommentarer/<int:pk>/rediger/", views.comment_edit, name="comment_edit"),
    path("referat/kommentarer/<int:pk>/slet/", views.comment_delete, name="comment_delete"),
    path("beslutninger/", views.register, name="register"),
    path("beslutninger/eksport.csv", views.register_csv, name="register_csv"),
    path("beslutninger/eksport.xlsx", views.register_xlsx, name="register_xlsx"),
    path("beslutninger/handlinger/<int:pk>/status/", views.action_status, name="action_status"),
    path("sekretariat/referater/", sec.minutes_list, name="sec_list"),
    path("sekretariat/moeder/<int:pk>/referat/", sec.editor, name="editor"),
    path("sekretariat/moeder/<int:pk>/referat/autogem/", sec.autosave, name="autosave"),
    path("sekretariat/moeder/<int:pk>/referat/start/", sec.start, name="start"),
    path("sekretariat/moeder/<int:pk>/referat/send/", sec.send, name="send"),
    path(
        "sekretariat/moeder/<int:pk>/referat/send/forhaandsvisning.pdf",
        sec.send_preview,
        name="send_preview",
    ),
    path("sekretariat/moeder/<int:pk>/referat/revider/", sec.revise, name="revise"),
    path("sekretariat/moeder/<int:pk>/referat/send/fortryd/", sec.send_undo, name="send_undo"),
    path("sekretariat/moeder/<int:pk>/referat/kommentarer/", sec.comments, name="comments"),
    path("sekretariat/moeder/<int:pk>/referat/rettelse/", sec.erratum, name="erratum"),
    path("sekretariat/referat/punkter/<int:pk>/handling/", sec.action_add, name="action_add"),
    path("sekretariat/handlinger/<int:pk>/slet/", sec.action_delete, name="action_delete"),
    path("sekretariat/kommentarer/<int:pk>/disposition/", sec.dispose, name="dispose"),
]
