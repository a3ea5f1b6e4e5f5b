from django.urls import path

from partnerships import views

urlpatterns = [
    path("", views.map_page, name="map"),
]
