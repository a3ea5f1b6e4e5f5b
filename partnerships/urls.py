from django.urls import path

from partnerships import views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership"),
    path("partnerships/<slug:slug>/suggest/", views.suggest, name="suggest-amendment"),
    path("suggest/", views.suggest, name="suggest"),
    path(
        "suggest/received/<str:reference>/", views.suggestion_received, name="suggestion-received"
    ),
    path("areas/<str:code>/", views.area_detail, name="area"),
    path("schools/<int:urn>/", views.school_detail, name="school"),
    path("trusts/<int:uid>/", views.trust_detail, name="trust"),
]
