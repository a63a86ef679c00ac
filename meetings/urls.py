from django.urls import path

from meetings import views, views_embed
from meetings import views_secretariat as sec

app_name = "meetings"

urlpatterns = [
    # public
    path("moeder/", views.meeting_list, name="list"),
    path("moeder/<int:pk>/", views.meeting_public, name="public"),
    path("moeder/<int:pk>/dagsorden.pdf", views.meeting_public_pdf, name="public_pdf"),
    path("aarshjul/<int:year>/", views.public_year_wheel, name="public_year_wheel"),
    path("moeder/<int:pk>/dagsorden-med-bilag.pdf", views.meeting_public_pack, name="public_pack"),
    path("fora/<slug:slug>/kalender.ics", views.forum_feed, name="forum_feed"),
    path("fora/<slug:slug>/indlejr/", views_embed.forum_embed, name="embed"),
    path("fora/<slug:slug>/indlejr/vejledning/", views_embed.forum_embed_help, name="embed_help"),
    path("kalender/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("bilag/<int:pk>/", views.attachment_download, name="attachment"),
    path("bilag/<int:pk>/fjern/", views.attachment_remove, name="attachment_remove"),
    path("bilag/<int:pk>/erstat/", views.attachment_replace, name="attachment_replace"),
    path("bilag/<int:pk>/op/", views.attachment_shift, {"step": -1}, name="attachment_up"),
    path("bilag/<int:pk>/ned/", views.attachment_shift, {"step": 1}, name="attachment_down"),
    # members
    path("moeder/<int:pk>/medlem/", views.meeting_member, name="member"),
    path("moeder/<int:pk>/dagsorden/<int:number>/", views.agenda_version, name="version"),
    path(
        "moeder/<int:pk>/dagsorden/<int:number>.pdf", views.agenda_version_pdf, name="version_pdf"
    ),
    path(
        "moeder/<int:pk>/dagsorden/<int:number>/samlet.pdf",
        views.agenda_version_pack,
        name="version_pack",
    ),
    path("moeder/<int:pk>/forslag/ny/", views.proposal_new, name="propose"),
    path("moeder/<int:pk>/fremmoede/", views.attendance, name="attendance"),
    path("forslag/<int:pk>/rediger/", views.proposal_edit, name="proposal_edit"),
    path("forslag/<int:pk>/traek-tilbage/", views.proposal_withdraw, name="proposal_withdraw"),
    path("konto/kalender/nyt-link/", views.calendar_token_reset, name="calendar_token_reset"),
    # the secretariat
    path("sekretariat/moeder/", sec.meeting_list, name="sec_list"),
    path("sekretariat/aarshjul/<int:year>/", sec.year_wheel, name="year_wheel"),
    path("sekretariat/aarshjul/<int:year>/pdf/", sec.year_wheel_pdf, name="year_wheel_pdf"),
    path("sekretariat/moeder/ny/", sec.meeting_schedule, name="schedule"),
    path("sekretariat/moeder/<int:pk>/", sec.workspace, name="workspace"),
    path("sekretariat/moeder/<int:pk>/flyt/", sec.meeting_move, name="move"),
    path("sekretariat/moeder/<int:pk>/aflys/", sec.meeting_cancel, name="cancel"),
    path("sekretariat/moeder/<int:pk>/fremmoede/", sec.attendance_record, name="attendance_record"),
    path("sekretariat/moeder/<int:pk>/send/", sec.agenda_send, name="send"),
    path("sekretariat/moeder/<int:pk>/send/fortryd/", sec.agenda_send_undo, name="send_undo"),
    path(
        "sekretariat/moeder/<int:pk>/udsendelse/fortryd/",
        sec.meeting_mail_undo,
        name="mail_undo",
    ),
    path(
        "sekretariat/moeder/<int:pk>/send/forhaandsvisning.pdf",
        sec.agenda_send_preview,
        name="send_preview",
    ),
    path("sekretariat/moeder/<int:meeting_pk>/punkter/ny/", sec.item_edit, name="item_new"),
    path("sekretariat/punkter/<int:pk>/rediger/", sec.item_edit, name="item_edit"),
    path("sekretariat/punkter/<int:pk>/slet/", sec.item_delete, name="item_delete"),
    path("sekretariat/punkter/<int:pk>/op/", sec.item_shift, {"direction": "op"}, name="item_up"),
    path(
        "sekretariat/punkter/<int:pk>/ned/", sec.item_shift, {"direction": "ned"}, name="item_down"
    ),
    path("sekretariat/punkter/<int:pk>/flyt/", sec.item_move_to, name="item_move_to"),
    path("sekretariat/punkter/<int:pk>/henvis/", sec.item_refer, name="item_refer"),
    path("sekretariat/forslag/<int:pk>/accepter/", sec.proposal_accept, name="proposal_accept"),
    path("sekretariat/forslag/<int:pk>/afvis/", sec.proposal_decline, name="proposal_decline"),
    path("sekretariat/forslag/<int:pk>/flyt/", sec.proposal_move, name="proposal_move"),
]
