from django.urls import path

from forums import views

app_name = "forums"

urlpatterns = [
    path("", views.forum_index, name="list"),
    path("<slug:slug>/", views.forum_detail, name="detail"),
    path("<slug:slug>/medlemmer/", views.forum_members, name="members"),
    path("<slug:slug>/indlejr/", views.forum_embed, name="embed"),
    path("<slug:slug>/indlejr/vejledning/", views.forum_embed_help, name="embed_help"),
]
