from django.urls import path
from django.views.generic import TemplateView

from geodata import downloads as register_downloads
from partnerships import alert_views, downloads, feeds, views
from partnerships.page_cache import rendered_once_per_data_version

urlpatterns = [
    path("data/", views.data_page, name="data"),
    path("data/partnerships.csv", downloads.partnerships_csv, name="download-partnerships-csv"),
    path("data/memberships.csv", downloads.memberships_csv, name="download-memberships-csv"),
    path("data/la-research.csv", downloads.research_csv, name="download-research-csv"),
    path("data/sources.csv", downloads.sources_csv, name="download-sources-csv"),
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
    path("data/schools.csv", register_downloads.schools_csv, name="download-schools-csv"),
    path(
        "data/schools.geojson", register_downloads.schools_geojson, name="download-schools-geojson"
    ),
    path("data/landscape-over-time.csv", downloads.landscape_csv, name="download-landscape-csv"),
    path("landscape/", views.landscape_page, name="landscape"),
    path("compare/", views.compare_page, name="compare"),
    path("embed/areas/<str:code>/", views.embed_area, name="embed-area"),
    path("embed/partnerships/<slug:slug>/", views.embed_partnership, name="embed-partnership"),
    path("compare/comparison.csv", views.compare_csv, name="compare-csv"),
    path("", views.map_page, name="map"),
    path("about/", TemplateView.as_view(template_name="pages/about.html"), name="about"),
    path("about/similar-areas/", views.method_page, name="method"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("contact/", TemplateView.as_view(template_name="pages/contact.html"), name="contact"),
    path("data/api/", views.api_guide, name="api-guide"),
    path("data/api/key/", views.api_key_request, name="api-key-request"),
    path(
        "data/api/key/requested/",
        TemplateView.as_view(template_name="pages/api_key_requested.html"),
        name="api-key-requested",
    ),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership"),
    path("partnerships/<slug:slug>/suggest/", views.suggest, name="suggest-amendment"),
    path("suggest/", views.suggest, name="suggest"),
    path(
        "partnerships/<slug:slug>/take-part/",
        views.suggest_membership,
        name="suggest-membership-of",
    ),
    path("take-part/", views.suggest_membership, name="suggest-membership"),
    path(
        "suggest/received/<str:reference>/", views.suggestion_received, name="suggestion-received"
    ),
    path("changes/", views.changes_page, name="changes"),
    path(
        "changes/feed/",
        rendered_once_per_data_version(feeds.ChangesFeed()),
        name="changes-feed",
    ),
    path(
        "partnerships/<slug:slug>/changes/feed/",
        rendered_once_per_data_version(feeds.PartnershipChangesFeed()),
        name="partnership-changes-feed",
    ),
    path(
        "areas/<str:code>/changes/feed/",
        rendered_once_per_data_version(feeds.AreaChangesFeed()),
        name="area-changes-feed",
    ),
    path(
        "trusts/<int:uid>/changes/feed/",
        rendered_once_per_data_version(feeds.TrustChangesFeed()),
        name="trust-changes-feed",
    ),
    path("follow/", alert_views.follow_page, name="follow"),
    path("follow/confirm/<str:token>/", alert_views.follow_confirm, name="follow-confirm"),
    path(
        "follow/unsubscribe/<str:token>/",
        alert_views.follow_unsubscribe,
        name="follow-unsubscribe",
    ),
    path("confirm/<str:token>/", views.verification_page, name="verify"),
    path("confirm/<str:token>/changes/", views.verification_changes, name="verify-changes"),
    path("areas/<str:code>/", views.area_detail, name="area"),
    path(
        "areas/<str:code>/landscape-over-time.csv",
        downloads.area_landscape_csv,
        name="download-area-landscape-csv",
    ),
    path("areas/<str:code>/research/suggest/", views.suggest_research, name="suggest-research"),
    path("schools/<int:urn>/", views.school_detail, name="school"),
    path("trusts/<int:uid>/", views.trust_detail, name="trust"),
]
