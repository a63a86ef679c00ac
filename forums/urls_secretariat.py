from django.urls import path

from forums import views_privacy
from forums import views_secretariat as views

app_name = "secretariat"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisationer/", views.organisation_list, name="organisations"),
    path("organisationer/ny/", views.organisation_edit, name="organisation_new"),
    path("organisationer/<int:pk>/rediger/", views.organisation_edit, name="organisation_edit"),
    path("personer/", views.person_list, name="people"),
    path("personer/ny/", views.person_edit, name="person_new"),
    path("personer/<int:pk>/", views.person_detail, name="person"),
    path("personer/<int:pk>/rediger/", views.person_edit, name="person_edit"),
    path("personer/<int:pk>/inviter/", views.person_invite, name="person_invite"),
    path("personer/<int:pk>/persondata/", views_privacy.person_export, name="person_export"),
    path("personer/<int:pk>/slet/", views_privacy.person_erase_view, name="person_erase"),
    path("medlemskaber/", views.membership_list, name="memberships"),
    path("medlemskaber/ny/", views.membership_edit, name="membership_new"),
    path("medlemskaber/<int:pk>/rediger/", views.membership_edit, name="membership_edit"),
    path("medlemskaber/<int:pk>/afslut/", views.membership_end, name="membership_end"),
    path("medlemskaber/<int:pk>/erstat/", views.membership_replace, name="membership_replace"),
    path("fora/<slug:slug>/standardpunkter/", views.standard_items, name="standard_items"),
    path(
        "fora/<slug:slug>/standardpunkter/<int:pk>/rediger/",
        views.standard_item_edit,
        name="standard_item_edit",
    ),
    path(
        "fora/<slug:slug>/standardpunkter/<int:pk>/flyt/",
        views.standard_item_move,
        name="standard_item_move",
    ),
    path(
        "fora/<slug:slug>/standardpunkter/<int:pk>/fjern/",
        views.standard_item_remove,
        name="standard_item_remove",
    ),
    path("temagrupper/", views.theme_group_list, name="theme_groups"),
    path("temagrupper/ny/", views.theme_group_edit, name="theme_group_new"),
    path("temagrupper/<int:pk>/", views.theme_group_detail, name="theme_group"),
    path("temagrupper/<int:pk>/rediger/", views.theme_group_edit, name="theme_group_edit"),
    path(
        "temagrupper/<int:pk>/medlemmer/<int:member_pk>/fjern/",
        views.theme_group_member_remove,
        name="theme_group_member_remove",
    ),
]
