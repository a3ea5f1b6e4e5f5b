from datetime import datetime, timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.timesince import timesince
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from partnerships import api_keys, moderation
from partnerships.changelog import record_change
from partnerships.link_health import (
    broken_links_of,
    partnerships_with_broken_sources,
    research_with_broken_sources,
)
from partnerships.models import (
    LINK_CHECK_RESULTS,
    PUBLIC_FIELDS,
    ApiKeyRequest,
    ChangeLogEntry,
    LAResearch,
    LinkCheck,
    Membership,
    OutboxMessage,
    Partnership,
    Source,
    Suggestion,
    VerificationRequest,
)
from partnerships.provenance import PUBLISHED_DATE, RESEARCH_CLAIMS
from partnerships.targets import target_of
from partnerships.validators import validate_web_address
from partnerships.verification import VerificationError, send_reminder, send_request
from partnerships.worklist import (
    not_verified_for_a_year,
    nothing_found_over_a_year_ago,
    verification_requests_in_state,
    worklist,
)

# The admin's sections of the partnership's public fields; any other public field (a new
# one included) appears under "How it works".
IDENTITY_FIELDS = ["name", "slug", "also_known_as", "summary", "website"]
PLACE_FIELDS = ["scope", "reach", "local_authorities"]
EVIDENCE_FIELDS = ["evidence", "unverified_notes", "last_verified"]
HOW_IT_WORKS_FIELDS = [
    name
    for name in PUBLIC_FIELDS
    if name not in {*IDENTITY_FIELDS, *PLACE_FIELDS, *EVIDENCE_FIELDS, "updated_at"}
]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["local_authority"]
    raw_id_fields = ["school", "trust"]


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


class VersionedForm(forms.ModelForm):
    """Optimistic concurrency for moderators' edits. The form carries the version of the
    record it was opened at (its `updated_at`, which every save moves); a form opened
    before another change (an approved suggestion, another moderator's edit, a curated
    load) is refused, saying what changed since, instead of writing the values it was
    opened with over that change. The record stays locked from the check to the save (the
    admin's transaction), so nothing comes in between."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            self.refuse_if_changed_since(opened_version(cleaned.get("version")))
        return cleaned

    def refuse_if_changed_since(self, opened):
        record = self.instance
        with transaction.atomic():
            current = (
                type(record)
                .objects.select_for_update()
                .filter(pk=record.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
        if current is None or opened == current:
            return
        noun = record._meta.verbose_name
        if opened is None:
            raise ValidationError(
                f"Not saved: this form does not say which version of the {noun} it was "
                "opened at. Reopen it and make your changes again.",
                code="no_version",
            )
        raise ValidationError(
            [
                f"Not saved: this {noun} changed after you opened this form, and saving it "
                "would undo that change. Reopen it to see the record as it is now, then make "
                "your changes again.",
                *changes_since(record, opened, shown=list(self.fields)),
            ],
            code="stale",
        )


def opened_version(value):
    try:
        return datetime.fromisoformat(value or "")
    except ValueError:
        return None


def changes_since(record, opened, shown):
    """What changed after `opened`, as a moderator reads it, from the record's history:
    each field (of those the form shows, in its order) then and now, and each change's
    author and reason."""
    history = record.history.order_by("-history_date", "-history_id")
    then = history.filter(updated_at__lte=opened).first()
    later = list(history.filter(updated_at__gt=opened).select_related("history_user"))
    lines = []
    if then is not None and later:
        changes = {change.field: change for change in later[0].diff_against(then).changes}
        for change in (changes[name] for name in shown if name in changes):
            field = record._meta.get_field(change.field)
            lines.append(
                f"{field.verbose_name.capitalize()}: “{shown_value(field, change.old)}” "
                f"when you opened this form, “{shown_value(field, change.new)}” now."
            )
    for row in reversed(later):
        if row.history_change_reason or row.history_user:
            when = date_format(timezone.localtime(row.history_date), "j M Y H:i")
            who = f" by {row.history_user}" if row.history_user else ""
            lines.append(f"Changed {when}{who}: {row.history_change_reason or 'edited'}.")
    return lines


def shown_value(field, value):
    if field.many_to_many:
        model = field.related_model
        key = model._meta.model_name
        pks = [row[key] for row in value or []]
        value = ", ".join(sorted(str(item) for item in model.objects.filter(pk__in=pks)))
    elif choices := field.flatchoices or getattr(field, "base_field", field).flatchoices:
        labels = dict(choices)
        if isinstance(value, list):
            value = ", ".join(str(labels.get(item, item)) for item in value)
        else:
            value = labels.get(value, value)
    if value in (None, "", []):
        return "—"
    return Truncator(str(value)).chars(120)


class ChangeLoggedAdmin(SimpleHistoryAdmin):
    """Moderators' direct edits reach the public change log, as approved suggestions do:
    the fields the form changed (what Django's own admin log records too). Forms opened
    before another change are refused (`VersionedForm`)."""

    form = VersionedForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_change(
            form.instance, form.changed_data, ChangeLogEntry.Origin.MODERATOR, added=not change
        )


class BrokenSourcesFilter(admin.SimpleListFilter):
    """Records citing a web address the weekly link check found not working."""

    title = "source links"
    parameter_name = "links"
    find = {Partnership: partnerships_with_broken_sources, LAResearch: research_with_broken_sources}

    def lookups(self, request, model_admin):
        return [("broken", "A link not working")]

    def queryset(self, request, queryset):
        if self.value() == "broken":
            return self.find[queryset.model](queryset)
        return queryset


class NotVerifiedFilter(admin.SimpleListFilter):
    title = "verification"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("stale", "Not verified for 12 months")]

    def queryset(self, request, queryset):
        return not_verified_for_a_year(queryset) if self.value() == "stale" else queryset


class NothingFoundFilter(admin.SimpleListFilter):
    title = "none found"
    parameter_name = "none_found"

    def lookups(self, request, model_admin):
        return [("stale", "Searched more than 12 months ago")]

    def queryset(self, request, queryset):
        return nothing_found_over_a_year_ago(queryset) if self.value() == "stale" else queryset


def worklist_page(request):
    """The moderator's worklist: counts, each linked to the admin list that shows them
    (a count only, where the moderator may not open that list)."""
    items = [
        {
            "label": item.label,
            "count": item.count,
            "url": item.url()
            if request.user.has_perm(
                f"{item.model._meta.app_label}.view_{item.model._meta.model_name}"
            )
            else None,
        }
        for item in worklist()
    ]
    context = {**admin.site.each_context(request), "title": "Moderator's worklist", "items": items}
    return render(request, "admin/worklist.html", context)


@admin.display(description="Source links not working")
def broken_sources(record):
    """Each cited address the link check found not working: since when, and what it got."""
    checks = broken_links_of(record) if record.pk else []
    if not checks:
        return "None (as of the last weekly check)."
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            '<li><a href="{}" rel="nofollow noopener">{}</a>: not working since {} ({})</li>',
            (
                (
                    check.url,
                    check.url,
                    date_format(timezone.localtime(check.first_failed), "j F Y"),
                    check.outcome(),
                )
                for check in checks
            ),
        ),
    )


@admin.register(Partnership)
class PartnershipAdmin(LeafletGeoAdminMixin, ChangeLoggedAdmin):
    list_display = ["name", "status", "la_role", "scope", "evidence", "published", "updated_at"]
    list_filter = [
        "published",
        "status",
        "la_role",
        "scope",
        "reach",
        "legal_form",
        "evidence",
        NotVerifiedFilter,
        BrokenSourcesFilter,
    ]
    search_fields = ["name", "also_known_as", "local_authorities__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["local_authorities"]
    inlines = [MembershipInline, SourceInline]
    readonly_fields = ["created_at", "updated_at", broken_sources]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_display_footprint()

    fieldsets = [
        (None, {"fields": [*IDENTITY_FIELDS, "published", "version"]}),
        ("Place", {"fields": [*PLACE_FIELDS, "drawn_footprint"]}),
        ("How it works", {"fields": HOW_IT_WORKS_FIELDS}),
        ("Evidence", {"fields": [*EVIDENCE_FIELDS, broken_sources, "created_at", "updated_at"]}),
    ]


class AgeFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [("week", "Older than a week"), ("month", "Older than a month")]

    def queryset(self, request, queryset):
        days = {"week": 7, "month": 30}.get(self.value())
        if days:
            return queryset.filter(created_at__lt=timezone.now() - timedelta(days=days))
        return queryset


class QueueStatusFilter(admin.SimpleListFilter):
    """The queue opens on what needs a decision: pending, unless another status (or all)
    is chosen. Keeps the `status__exact` parameter of the default filter."""

    title = "status"
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return [*Suggestion.Status.choices, ("all", "All statuses")]

    def value(self):
        return super().value() or Suggestion.Status.PENDING

    def queryset(self, request, queryset):
        return queryset if self.value() == "all" else queryset.filter(status=self.value())

    def choices(self, changelist):
        for value, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(value),
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }


def list_items(change):
    """For a list field, each item marked kept, added or removed, so that one change inside
    a long list stands out in the review."""
    current, proposed = change.current, change.proposed
    if not isinstance(current, list) and not isinstance(proposed, list):
        return None
    current, proposed = current or [], proposed or []
    items = [(item, "kept" if item in proposed else "removed") for item in current]
    items += [(item, "added") for item in proposed if item not in current]
    return [{"text": change.display([item]), "state": state} for item, state in items]


class DecisionPage:
    """The change page of a request a moderator decides (`DecidedByAModerator`): a page of
    its own (`decision_template`, `decision_context`) instead of a form, whose POST is the
    decision (`decide`), refused without the change permission. It can be decided only
    while pending."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        may_change = self.has_change_permission(request, obj)
        if request.method == "POST":
            if not may_change:
                raise PermissionDenied
            return self.decide(request, obj)
        can_decide = may_change and obj.status == obj.Status.PENDING
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            **self.decision_context(obj, can_decide),
        }
        return render(request, self.decision_template, context)


@admin.register(Suggestion)
class SuggestionAdmin(DecisionPage, admin.ModelAdmin):
    """The moderation queue: oldest pending first; each suggestion opens as a review page
    with the current and proposed values side by side."""

    list_display = ["reference", "kind", "target", "submitter_name", "status", "created_at", "age"]
    list_filter = [QueueStatusFilter, "kind", AgeFilter]
    search_fields = [
        "reference",
        "partnership__name",
        "proposed__name",
        "research__local_authority__name",
        "submitter_name",
        "submitter_organisation",
        "submitter_email",
    ]
    ordering = ["created_at"]
    list_select_related = ["partnership", "research__local_authority"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("partnership", "research__local_authority", "decided_by")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Partnership or LA")
    def target(self, obj):
        return target_of(obj).name

    @admin.display(description="Age")
    def age(self, obj):
        return timesince(obj.created_at)

    decision_template = "admin/partnerships/suggestion/review.html"

    def decision_context(self, suggestion, can_decide):
        target = target_of(suggestion)
        changes = target.changes()
        for change in changes:
            change.items = None if change.is_new else list_items(change)
        return {
            "title": f"Review {suggestion}",
            "suggestion": suggestion,
            "target": target,
            "changes": changes,
            "conflicts": [change for change in changes if change.conflict],
            "proposed_member": getattr(target, "member", None),
            "can_moderate": can_decide,
        }

    def decide(self, request, suggestion):
        action = request.POST.get("action")
        try:
            if action == "approve":
                moderation.approve(
                    suggestion.pk,
                    request.user,
                    fields=request.POST.getlist("fields"),
                    accept_conflicts=request.POST.get("accept_conflicts") == "on",
                )
                suggestion.refresh_from_db()
                self.message_user(
                    request,
                    f"{suggestion.reference} approved: {target_of(suggestion)} updated.",
                    messages.SUCCESS,
                )
            elif action == "reject":
                moderation.reject(
                    suggestion.pk,
                    request.user,
                    request.POST.get("reason", ""),
                    notify_submitter=request.POST.get("notify") == "on",
                )
                self.message_user(request, f"{suggestion.reference} rejected.", messages.SUCCESS)
            elif action == "spam":
                moderation.mark_spam(suggestion.pk, request.user)
                self.message_user(
                    request, f"{suggestion.reference} marked as spam.", messages.SUCCESS
                )
            else:
                self.message_user(request, "Unknown action.", messages.ERROR)
        except moderation.ModerationError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect("admin:partnerships_suggestion_change", suggestion.pk)
        return redirect("admin:partnerships_suggestion_changelist")


class ResearchSourceForm(forms.Form):
    """One source of an LA's research record, as fields rather than the JSON it is kept as
    (the keys `partnerships.research` reads)."""

    url = forms.URLField(
        label="Address", max_length=500, assume_scheme="https", validators=[validate_web_address]
    )
    title = forms.CharField(max_length=300)
    published = forms.RegexField(
        PUBLISHED_DATE,
        required=False,
        help_text="YYYY, YYYY-MM or YYYY-MM-DD",
        error_messages={"invalid": "Enter the date published as YYYY, YYYY-MM or YYYY-MM-DD."},
    )
    accessed = forms.DateField(required=False, help_text="When we read it (YYYY-MM-DD).")
    checked = forms.BooleanField(required=False, help_text="Read, and found to say this.")
    says = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60})
    )
    supports = forms.MultipleChoiceField(
        choices=[(name, LAResearch._meta.get_field(name).verbose_name) for name in RESEARCH_CLAIMS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The facts of the record it states.",
    )
    infers = forms.MultipleChoiceField(
        choices=[(name, LAResearch._meta.get_field(name).verbose_name) for name in RESEARCH_CLAIMS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The facts it supports only by a written inference rule.",
    )

    @staticmethod
    def initial_of(source):
        return {**source, "published": source.get("published") or ""}

    def source(self):
        data = self.cleaned_data
        return {
            "url": data["url"],
            "title": data["title"],
            "accessed": data["accessed"].isoformat() if data["accessed"] else None,
            "checked": data["checked"],
            "published": data["published"] or None,
            "says": data["says"],
            "supports": data["supports"],
            "infers": data["infers"],
        }


ResearchSourceFormSet = forms.formset_factory(ResearchSourceForm, extra=1, can_delete=True)


class LAResearchForm(VersionedForm):
    """The research record with its sources edited as a set of forms, one per source. A
    post without the sources' forms (a script's, say) leaves the sources as they are."""

    prefix_of_sources = "sources"

    class Meta:
        model = LAResearch
        fields = [  # sources: the set of forms
            "summary",
            "council_role",
            "council_role_detail",
            "la_functions",
            "none_found_on",
            "searches",
            "last_verified",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        initial = [ResearchSourceForm.initial_of(source) for source in self.instance.sources]
        posted = self.is_bound and f"{self.prefix_of_sources}-TOTAL_FORMS" in self.data
        self.sources = ResearchSourceFormSet(
            self.data if posted else None, initial=initial, prefix=self.prefix_of_sources
        )

    def clean(self):
        cleaned = super().clean()
        if self.sources.is_bound:
            if not self.sources.is_valid():
                raise ValidationError("A source has a problem: see the sources below.")
            self.instance.sources = [
                form.source()
                for form in self.sources.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
        return cleaned

    @property
    def changed_data(self):
        changed = super().changed_data
        if self.sources.is_bound and self.sources.has_changed():
            changed = [*changed, "sources"]
        return changed


@admin.register(LAResearch)
class LAResearchAdmin(ChangeLoggedAdmin):
    """Moderators' direct edits are kept over later curated loads, like partnerships'. Its
    sources are edited one form each (`LAResearchForm`), below the record's fields."""

    form = LAResearchForm
    change_form_template = "admin/partnerships/laresearch/change_form.html"
    list_display = [
        "local_authority",
        "status_display",
        "council_role",
        "none_found_on",
        "last_verified",
    ]
    list_filter = ["council_role", NotVerifiedFilter, NothingFoundFilter, BrokenSourcesFilter]
    search_fields = ["local_authority__name", "local_authority__ons_code", "summary"]
    readonly_fields = ["local_authority", "updated_at", broken_sources]
    fields = [
        "local_authority",
        "summary",
        "council_role",
        "council_role_detail",
        "la_functions",
        "none_found_on",
        "searches",
        broken_sources,
        "last_verified",
        "updated_at",
        "version",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_status().select_related("local_authority")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Status")
    def status_display(self, obj):
        return obj.get_status_display()


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "sent_at", "attempts"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    readonly_fields = [
        "to",
        "subject",
        "shown_body",
        "suggestion",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    ]
    fields = readonly_fields  # the body only as `shown_body`: never an API key

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Body")
    def shown_body(self, obj):
        """Never an API key: a message carrying one is not shown, sent or not."""
        if obj.secret:
            return "Not shown: this message carries an API key, sent once and then erased."
        return obj.body


@admin.register(ApiKeyRequest)
class ApiKeyRequestAdmin(DecisionPage, admin.ModelAdmin):
    """Requests for API keys: pending first; each opens on a page to issue the key (sent
    once by email, never shown here) or decline with a reason."""

    list_display = ["__str__", "submitter_name", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["submitter_name", "submitter_organisation", "submitter_email"]
    ordering = ["created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    decision_template = "admin/partnerships/apikeyrequest/decide.html"

    def decision_context(self, key_request, can_decide):
        return {
            "title": f"Decide on {key_request}",
            "key_request": key_request,
            "can_decide": can_decide,
        }

    def decide(self, request, key_request):
        action = request.POST.get("action")
        try:
            if action == "issue":
                api_key = api_keys.issue_key(key_request.pk, request.user)
                self.message_user(
                    request,
                    f"Key {api_key.prefix}… issued: it is emailed to the requester once and "
                    "is not shown here.",
                    messages.SUCCESS,
                )
            elif action == "decline":
                api_keys.decline(key_request.pk, request.user, request.POST.get("reason", ""))
                self.message_user(request, "Request declined; the reason is emailed.")
            else:
                self.message_user(request, "Unknown action.", messages.ERROR)
        except api_keys.ModerationError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect("admin:partnerships_apikeyrequest_change", key_request.pk)
        return redirect("admin:partnerships_apikeyrequest_changelist")


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    """What the weekly link check found at each cited address; written only by the check."""

    list_display = ["url", "outcome", "final_url", "last_checked", "last_ok", "first_failed"]
    list_filter = [("first_failed", admin.EmptyFieldListFilter)]
    search_fields = ["url", "final_url"]
    readonly_fields = ["url", *LINK_CHECK_RESULTS]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VerificationStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("awaiting", "Awaiting an answer"),
            ("expired", "Expired unanswered"),
            *[(value, label) for value, label in VerificationRequest.Outcome.choices[1:]],
        ]

    def queryset(self, request, queryset):
        return verification_requests_in_state(queryset, self.value())


@admin.register(VerificationRequest)
class VerificationRequestAdmin(admin.ModelAdmin):
    """Requests to owners: sent from here (the email goes through the outbox), one
    reminder each, and what became of them. The contact address is never published."""

    list_display = [
        "record",
        "owner_role",
        "sent_at",
        "expires_at",
        "reminded_at",
        "state",
        "answered_at",
        "suggestion",
    ]
    list_filter = [VerificationStateFilter, "owner_role"]
    # Plain labelled lists (a few hundred records): the admin's autocomplete leaves the empty
    # one without an accessible name.
    fields = ["partnership", "research", "contact_email", "owner_role"]
    actions = ["remind"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "partnership",
            "research",
            "contact_email",
            "owner_role",
            "sent_by",
            "sent_at",
            "expires_at",
            "reminded_at",
            "answered_at",
            "state",
            "suggestion",
        ]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) or self.fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("partnership", "research__local_authority", "suggestion")
        )

    @admin.display(description="State")
    def state(self, obj):
        return obj.state()

    def save_model(self, request, obj, form, change):
        if not change:  # a new request: saved and its email queued
            send_request(obj, request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send one reminder", permissions=["add"])
    def remind(self, request, queryset):
        for verification in queryset:
            try:
                send_reminder(verification)
            except VerificationError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                self.message_user(request, f"Reminder queued: {verification.record}.")
