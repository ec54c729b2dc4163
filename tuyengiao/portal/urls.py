from django.urls import path

from tuyengiao.portal import views
from tuyengiao.portal.feeds import CategoryFeed, LatestFeed

app_name = "portal"
urlpatterns = [
    path("tim-kiem/", views.search, name="search"),
    path("phan-hoi/<int:article_id>/", views.feedback, name="feedback"),
    path("chu-de/<str:slug>/", views.tag, name="tag"),
    path("luu-tru/", views.archive, name="archive"),
    path("luu-tru/<int:year>/<int:month>/", views.archive, name="archive_month"),
    path("rss/", LatestFeed(), name="feed_latest"),
    path("rss/<slug:slug>/", CategoryFeed(), name="feed_category"),
]
