from django.contrib import admin, messages
from django.db import transaction
from leaflet.admin import LeafletGeoAdmin

from geodata.boundary_sets import activate, check
from geodata.models import Boundary, BoundarySet, LocalAuthority, LocalAuthorityCodeAlias, Region


@admin.register(BoundarySet)
class BoundarySetAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "loaded_at", "checked_at", "activated_at"]
    readonly_fields = [
        "name",
        "description",
        "source",
        "licence",
        "checksum",
        "loaded_at",
        "checked_at",
        "check_problems",
        "activated_at",
        "is_active",
    ]
    actions = ["check_and_activate"]

    def has_add_permission(self, request):
        return False  # sets come from `manage.py load_boundaries`, never by hand

    @admin.action(description="Check and switch on the selected boundary set")
    def check_and_activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one boundary set.", messages.ERROR)
            return
        boundary_set = queryset.get()
        with transaction.atomic():
            problems = check(boundary_set)
            if not problems:
                activate(boundary_set)
        if problems:
            self.message_user(
                request, f"{boundary_set} not switched on: {'; '.join(problems)}", messages.ERROR
            )
        else:
            self.message_user(request, f"Switched on {boundary_set.name}.", messages.SUCCESS)


@admin.register(Boundary)
class BoundaryAdmin(LeafletGeoAdmin):
    list_display = ["code", "name", "kind", "dfe_code", "boundary_set"]
    list_filter = ["boundary_set", "kind"]
    search_fields = ["code", "name", "dfe_code"]
    readonly_fields = ["boundary_set", "kind", "code", "former_codes"]


@admin.register(Region)
class RegionAdmin(LeafletGeoAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class CodeAliasInline(admin.TabularInline):
    model = LocalAuthorityCodeAlias
    extra = 0


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(LeafletGeoAdmin):
    list_display = ["name", "ons_code", "dfe_code", "la_type", "region", "is_current"]
    list_filter = ["is_current", "la_type", "region"]
    search_fields = ["name", "ons_code", "dfe_code", "code_aliases__code"]
    readonly_fields = ["boundary_set", "updated_at", "area_km2"]
    inlines = [CodeAliasInline]


@admin.register(LocalAuthorityCodeAlias)
class LocalAuthorityCodeAliasAdmin(admin.ModelAdmin):
    list_display = ["code", "scheme", "local_authority", "note"]
    list_filter = ["scheme"]
    search_fields = ["code", "local_authority__name"]
    autocomplete_fields = ["local_authority"]
