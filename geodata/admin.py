from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.html import format_html, format_html_join
from leaflet.admin import LeafletGeoAdmin

from geodata.boundary_sets import activate, check
from geodata.importers.gias import check_extract, reset_extract_date
from geodata.importers.register_files import RegisterFileError
from geodata.models import (
    Boundary,
    BoundarySet,
    ImportRun,
    LocalAuthority,
    LocalAuthorityCodeAlias,
    Region,
    School,
    SchoolLink,
    Trust,
)
from geodata.tasks import queue_extract_import, store_upload


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


class GiasUploadForm(forms.Form):
    file = forms.FileField(
        label="GIAS establishments extract",
        help_text="An edubasealldata CSV downloaded from Get Information About Schools.",
    )
    force = forms.BooleanField(
        required=False,
        label="Import even if it has far fewer rows than last time, over 20% rejected rows, "
        "or is older",
    )
    dry_run = forms.BooleanField(
        required=False, label="Dry run: check and report what would change, change nothing"
    )

    def clean_file(self):
        """Refuse at once what is too big or plainly no extract; keep the rest for the worker
        (`cleaned_data["stored"]`)."""
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_UPLOAD_MAX_MB
        if upload.size > limit << 20:
            raise forms.ValidationError(
                f"The file is {upload.size / (1 << 20):.0f} MB, more than the {limit} MB "
                "accepted: is it really an establishments extract?"
            )
        stored = store_upload(upload)
        try:
            check_extract(stored)
        except RegisterFileError as error:
            stored.unlink()
            raise forms.ValidationError(f"Not imported: {error}.") from error
        self.cleaned_data["stored"] = stored
        return upload


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "source",
        "status",
        "extract_date",
        "rows_read",
        "created",
        "updated",
        "unchanged",
        "closed",
        "missing",
        "rejected",
        "steps_outcome",
    ]
    list_filter = ["source", "status", "dry_run"]
    search_fields = ["location", "message"]
    exclude = ["steps"]
    readonly_fields = ["after_commit"]
    change_list_template = "admin/geodata/importrun/change_list.html"
    change_form_template = "admin/geodata/importrun/change_form.html"

    @admin.display(description="Steps after the commit")
    def steps_outcome(self, run):
        failed = sum(step["status"] == ImportRun.Status.FAILED for step in run.steps)
        if failed:
            return f"{failed} of {len(run.steps)} failed"
        return f"{len(run.steps)} succeeded" if run.steps else ""

    @admin.display(description="After the commit")
    def after_commit(self, run):
        """The run's steps, each with its outcome (a failed one leaves the import committed)."""
        if not run.steps:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong> {}: {}</li>",
                ((step["status"], step["name"], step["message"]) for step in run.steps),
            ),
        )

    actions = ["reset_wrong_extract_date"]

    @admin.action(description="Reset a wrong extract date to the day the file was imported")
    def reset_wrong_extract_date(self, request, queryset):
        if not request.user.has_perm("geodata.change_school"):
            raise PermissionDenied
        for run in queryset:
            old = run.extract_date
            try:
                schools = reset_extract_date(run, by=request.user.get_username())
            except RegisterFileError as error:
                self.message_user(request, f"Run {run.pk}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Run {run.pk}: extract date {old} → {run.extract_date}; "
                    f"{schools} schools re-dated.",
                    messages.SUCCESS,
                )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "upload-gias/",
                self.admin_site.admin_view(self.upload_gias),
                name="geodata_importrun_upload_gias",
            ),
            *super().get_urls(),
        ]

    def upload_gias(self, request):
        """Queue an uploaded extract for the worker and show its run, which follows it."""
        if not request.user.has_perm("geodata.add_school"):
            raise PermissionDenied
        form = GiasUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            run = queue_extract_import(
                form.cleaned_data["stored"],
                name=form.cleaned_data["file"].name,
                force=form.cleaned_data["force"],
                dry_run=form.cleaned_data["dry_run"],
                triggered_by=f"admin upload by {request.user.get_username()}",
            )
            if run.status == ImportRun.Status.FAILED:
                self.message_user(request, run.message, messages.ERROR)
            else:
                self.message_user(
                    request, "Queued: a worker imports the extract; this page follows it."
                )
            return redirect("admin:geodata_importrun_change", run.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a GIAS establishments extract",
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/geodata/importrun/upload_gias.html", context)


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = ["name", "uid", "trust_type", "companies_house_number"]
    list_filter = ["trust_type"]
    search_fields = ["name", "=uid", "companies_house_number"]


@admin.register(School)
class SchoolAdmin(LeafletGeoAdmin):
    list_display = ["name", "urn", "local_authority", "type_group", "phase", "status", "trust"]
    list_filter = ["status", "type_group", "phase", "missing_since", "local_authority__region"]
    search_fields = ["name", "=urn", "postcode", "trust__name"]
    list_select_related = ["local_authority", "trust"]
    autocomplete_fields = ["local_authority", "trust"]
    readonly_fields = ["first_seen", "last_seen", "missing_since", "content_hash", "updated_at"]


@admin.register(SchoolLink)
class SchoolLinkAdmin(admin.ModelAdmin):
    list_display = ["urn", "link_type", "linked_urn", "linked_name", "established"]
    list_filter = ["link_type"]
    search_fields = ["=urn", "=linked_urn", "linked_name"]
