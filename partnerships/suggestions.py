"""Public suggestions: what can be proposed, the form, and saving a submission.

A submission is saved before anything else happens; its emails go through the outbox
(`partnerships.notifications`), so neither Redis nor the worker being down can lose it.
"""

import hashlib
import hmac
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from geodata.models import LocalAuthority
from partnerships.models import (
    FocusArea,
    FundingModel,
    Governance,
    Partnership,
    Phase,
    Suggestion,
)
from partnerships.notifications import queue_submission_emails, send_outbox_soon

# Fields of a partnership the public can propose values for, in display order.
SUGGESTIBLE_FIELDS = [
    "name",
    "summary",
    "website",
    "status",
    "la_role",
    "scope",
    "local_authorities",
    "founded_year",
    "legal_form",
    "legal_form_detail",
    "funding_models",
    "governance",
    "focus_areas",
    "phases",
    "declared_member_count",
]
LIST_FIELDS = {"local_authorities", "funding_models", "governance", "focus_areas", "phases"}
MAX_EVIDENCE_URLS = 10
MAX_TEXT = 5000
RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)


def partnership_values(partnership):
    """The suggestible fields of a partnership as plain JSON values."""
    values = {}
    for name in SUGGESTIBLE_FIELDS:
        if name == "local_authorities":
            values[name] = sorted(partnership.local_authorities.values_list("ons_code", flat=True))
        else:
            value = getattr(partnership, name)
            values[name] = sorted(value) if name in LIST_FIELDS else value
    return values


def client_fingerprint(request):
    """A keyed hash of the client's address: enough to rate-limit, useless if leaked."""
    address = request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def over_rate_limit(fingerprint):
    since = timezone.now() - RATE_WINDOW
    return (
        Suggestion.objects.filter(client_fingerprint=fingerprint, created_at__gte=since).count()
        >= RATE_LIMIT
    )


def blank_choice(choices, label):
    return [("", label), *choices]


# Specific messages, in the GOV.UK style: say what to do, name the field.
ERROR_MESSAGES = {
    "name": {"required": "Enter the name of the partnership"},
    "summary": {"required": "Say what the partnership is and does"},
    "website": {
        "invalid": "Enter the website's address in the correct format, like https://www.example.org"
    },
    "local_authorities": {
        "invalid_choice": "Choose the local authorities from the list (%(value)s is not one)",
    },
    "founded_year": {
        "invalid": "Enter the year founded as a number, like 2016",
        "min_value": "The year founded must be 1900 or later",
        "max_value": "The year founded must be this year or earlier",
    },
    "declared_member_count": {
        "invalid": "Enter the number of members as a whole number, like 12",
        "min_value": "The number of members must be 0 or more",
        "max_value": "The number of members must be 100,000 or fewer",
    },
    "submitter_name": {"required": "Enter your name"},
    "submitter_email": {
        "required": "Enter your email address",
        "invalid": "Enter an email address in the correct format, like name@example.org",
    },
}
CHOICE_MESSAGE = {"invalid_choice": "Choose one of the options given (%(value)s is not one)"}


class SuggestionForm(forms.Form):
    """Structured fields matching the partnership model, plus evidence and the submitter."""

    action = forms.ChoiceField(
        label="What would you like to do?",
        choices=[
            ("amendment", "Correct or add details"),
            ("closure", "Report that this partnership has closed"),
        ],
        widget=forms.RadioSelect,
        initial="amendment",
        required=False,
    )
    name = forms.CharField(label="Name of the partnership", max_length=200, required=False)
    summary = forms.CharField(
        label="What it is and does",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    website = forms.URLField(label="Website", max_length=200, required=False, assume_scheme="https")
    status = forms.ChoiceField(
        label="Status", choices=blank_choice(Partnership.Status.choices, "Not sure"), required=False
    )
    la_role = forms.ChoiceField(
        label="Role of the local authority",
        choices=blank_choice(Partnership.LARole.choices, "Not sure"),
        required=False,
    )
    scope = forms.ChoiceField(
        label="Area covered",
        choices=blank_choice(Partnership.Scope.choices, "Not sure"),
        required=False,
    )
    local_authorities = forms.ModelMultipleChoiceField(
        label="Local authorities covered",
        queryset=LocalAuthority.objects.current().order_by("name"),
        to_field_name="ons_code",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8, "data-typeahead": "local authorities"}),
        help_text="Hold Ctrl (or Cmd) to choose several.",
    )
    founded_year = forms.IntegerField(label="Year founded", min_value=1900, required=False)
    legal_form = forms.ChoiceField(
        label="Legal form",
        choices=blank_choice(Partnership.LegalForm.choices, "Not sure"),
        required=False,
    )
    legal_form_detail = forms.CharField(
        label="Legal form details (company or charity number...)", max_length=300, required=False
    )
    funding_models = forms.MultipleChoiceField(
        label="Funding",
        choices=FundingModel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    governance = forms.MultipleChoiceField(
        label="Governance",
        choices=Governance.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    focus_areas = forms.MultipleChoiceField(
        label="What it works on",
        choices=FocusArea.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    phases = forms.MultipleChoiceField(
        label="Phases", choices=Phase.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    declared_member_count = forms.IntegerField(
        label="Number of members", min_value=0, max_value=100000, required=False
    )
    evidence_urls = forms.CharField(
        label="Evidence: links to public pages that show this",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=f"One link per line, at most {MAX_EVIDENCE_URLS}.",
    )
    comment = forms.CharField(
        label="Anything else moderators should know",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        required=False,
    )
    submitter_name = forms.CharField(label="Your name", max_length=200)
    submitter_email = forms.EmailField(label="Your email address", max_length=254)
    submitter_organisation = forms.CharField(
        label="Your organisation", max_length=200, required=False
    )
    submitter_role = forms.CharField(label="Your role", max_length=200, required=False)
    consent_to_contact = forms.BooleanField(
        label="You may contact me about this suggestion", required=False
    )
    # A field people never see; bots fill every field they find.
    fax_number = forms.CharField(label="Leave this field empty", required=False)

    def __init__(self, *args, partnership=None, **kwargs):
        self.partnership = partnership
        if partnership is not None:
            kwargs.setdefault("initial", {}).update(partnership_values(partnership))
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ChoiceField):
                field.error_messages.update(CHOICE_MESSAGE)
            if getattr(field, "max_length", None):
                limit = f"{field.label} must be %(limit_value)d characters or fewer"
                field.error_messages["max_length"] = limit
            field.error_messages.update(ERROR_MESSAGES.get(name, {}))
        this_year = timezone.localdate().year
        self.fields["founded_year"].validators.append(MaxValueValidator(this_year))
        self.fields["founded_year"].widget.attrs["max"] = this_year
        if partnership is None:
            del self.fields["action"]
            self.fields["name"].required = True
            self.fields["summary"].required = True

    def clean_evidence_urls(self):
        lines = [line.strip() for line in self.cleaned_data["evidence_urls"].splitlines()]
        urls = [line for line in lines if line]
        if len(urls) > MAX_EVIDENCE_URLS:
            raise ValidationError(f"Give at most {MAX_EVIDENCE_URLS} links.")
        validate = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(
                    f"“{url[:80]}” is not a web address (http:// or https://)."
                ) from None
        return urls

    def clean(self):
        cleaned = super().clean()
        if (
            self.partnership is None
            and not cleaned.get("local_authorities")
            and not self.errors.get("local_authorities")
        ):
            self.add_error("local_authorities", "Choose at least one local authority")
        amending = self.partnership is not None and cleaned.get("action") != "closure"
        if amending and not self.proposed_changes() and not cleaned.get("comment"):
            raise ValidationError(
                "Nothing was changed. Change a field, or tell moderators what is wrong."
            )
        return cleaned

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("fax_number"))

    def proposed_values(self):
        values = {}
        for name in SUGGESTIBLE_FIELDS:
            value = self.cleaned_data.get(name)
            if name == "local_authorities":
                value = sorted(la.ons_code for la in (value or []))
            elif name in LIST_FIELDS:
                value = sorted(value or [])
            values[name] = value if value not in (None,) else None
            if values[name] is None and name not in {"founded_year", "declared_member_count"}:
                values[name] = ""
        return values

    def proposed_changes(self):
        """For an amendment, only the fields the submitter changed."""
        proposed = self.proposed_values()
        if self.partnership is None:
            return {name: value for name, value in proposed.items() if value not in ("", [], None)}
        current = partnership_values(self.partnership)
        return {name: value for name, value in proposed.items() if value != current[name]}


def submit(form, fingerprint):
    """Save the suggestion and queue its emails, in one transaction; returns it."""
    partnership = form.partnership
    if partnership is None:
        kind, proposed = Suggestion.Kind.NEW, form.proposed_changes()
    elif form.cleaned_data.get("action") == "closure":
        kind, proposed = Suggestion.Kind.CLOSURE, {"status": Partnership.Status.CLOSED}
    else:
        kind, proposed = Suggestion.Kind.AMENDMENT, form.proposed_changes()
    with transaction.atomic():
        suggestion = Suggestion.objects.create(
            kind=kind,
            partnership=partnership,
            proposed=proposed,
            baseline=partnership_values(partnership) if partnership else {},
            evidence_urls=form.cleaned_data["evidence_urls"],
            comment=form.cleaned_data["comment"],
            submitter_name=form.cleaned_data["submitter_name"],
            submitter_email=form.cleaned_data["submitter_email"],
            submitter_organisation=form.cleaned_data["submitter_organisation"],
            submitter_role=form.cleaned_data["submitter_role"],
            consent_to_contact=form.cleaned_data["consent_to_contact"],
            client_fingerprint=fingerprint,
            status=Suggestion.Status.SPAM if form.is_spam else Suggestion.Status.PENDING,
        )
        if not form.is_spam:
            queue_submission_emails(suggestion)
            transaction.on_commit(send_outbox_soon)
    return suggestion
