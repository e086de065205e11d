from django.urls import path

from articles import preview, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("section/<str:slug>/", views.section, name="section"),
    path("article/<int:pk>/", views.article, name="article_by_id"),
    path("article/<int:pk>/<str:slug>/", views.article, name="article"),
    path("preview/<str:token>/", preview.shared_preview, name="preview"),
]
