from django.urls import path

from partnerships import downloads, views

urlpatterns = [
    path("data/", views.data_page, name="data"),
    path("data/partnerships.csv", downloads.partnerships_csv, name="download-partnerships-csv"),
    path("data/memberships.csv", downloads.memberships_csv, name="download-memberships-csv"),
    path("data/la-research.csv", downloads.research_csv, name="download-research-csv"),
    path(
        "data/partnerships.geojson",
        downloads.partnerships_geojson,
        name="download-partnerships-geojson",
    ),
    path(
        "data/local-authorities.geojson",
        downloads.local_authorities_geojson,
        name="download-local-authorities-geojson",
    ),
    path("", views.map_page, name="map"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership"),
    path("partnerships/<slug:slug>/suggest/", views.suggest, name="suggest-amendment"),
    path("suggest/", views.suggest, name="suggest"),
    path(
        "suggest/received/<str:reference>/", views.suggestion_received, name="suggestion-received"
    ),
    path("areas/<str:code>/", views.area_detail, name="area"),
    path("areas/<str:code>/research/suggest/", views.suggest_research, name="suggest-research"),
    path("schools/<int:urn>/", views.school_detail, name="school"),
    path("trusts/<int:uid>/", views.trust_detail, name="trust"),
]
