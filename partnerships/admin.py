from django.contrib import admin
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from partnerships.models import Membership, Partnership, Source


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["local_authority"]
    raw_id_fields = ["school", "trust"]


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "status", "la_role", "scope", "evidence", "published", "updated_at"]
    list_filter = ["published", "status", "la_role", "scope", "legal_form", "evidence"]
    search_fields = ["name", "also_known_as", "local_authorities__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["local_authorities"]
    inlines = [MembershipInline, SourceInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "also_known_as", "summary", "website", "published"]}),
        ("Place", {"fields": ["scope", "local_authorities", "drawn_footprint"]}),
        (
            "How it works",
            {
                "fields": [
                    "status",
                    "la_role",
                    "la_role_note",
                    "founded_year",
                    "legal_form",
                    "legal_form_detail",
                    "funding_models",
                    "governance",
                    "focus_areas",
                    "phases",
                    "declared_member_count",
                    "declared_member_count_note",
                ]
            },
        ),
        (
            "Evidence",
            {
                "fields": [
                    "evidence",
                    "unverified_notes",
                    "last_verified",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
