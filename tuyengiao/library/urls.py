from django.urls import path

from tuyengiao.library import views

app_name = "library"

urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("bo-suu-tap/<slug:slug>/", views.collection, name="collection"),
    path("ban-tin/", views.bulletins, name="bulletins"),
    path("sach/<int:pk>/", views.book, name="book"),
    path("sach/<int:pk>/doc/", views.reader, name="reader"),
    path("sach/<int:pk>/tim/", views.search_inside, name="search_inside"),
    path("sach/<int:pk>/vi-tri/", views.position, name="position"),
    path("sach/<int:pk>/ban-web.pdf", views.web_pdf, name="web_pdf"),
    path("sach/<int:pk>/sach.epub", views.epub, name="epub"),
    path("sach/<int:pk>/bia.webp", views.cover, name="cover"),
    path("sach/<int:pk>/trang/<int:number>.webp", views.page_image, name="page_image"),
    path("sach/<int:pk>/anh-nho/<int:number>.webp", views.page_image, {"variant": "thumb"}, name="thumb"),
]
