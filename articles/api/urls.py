from django.urls import path

from articles.api import views

app_name = "api"

urlpatterns = [
    path("v1/stories/", views.story_list, name="stories"),
    path("v1/stories/<int:pk>/", views.story_detail, name="story"),
]
