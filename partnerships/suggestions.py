"""Public suggestions: what can be proposed, the forms, and saving a submission.

Three targets: a partnership (new, amended or reported closed), an LA's research record,
and a partnership's members (a school, trust or LA saying it takes part).

A submission is saved before anything else happens; its emails go through the outbox
(`partnerships.notifications`), so neither Redis nor the worker being down can lose it.
"""

import hashlib
import hmac
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.utils import timezone

from api_core.clients import client_ip
from geodata.models import LocalAuthority
from partnerships.memberships import REGISTERED_MEMBERS, MemberNotFound, find_member
from partnerships.models import (
    RESEARCH_SUGGESTIBLE_FIELDS,
    RESEARCH_TEXT_MAX,
    SUGGESTIBLE_FIELDS,
    LAResearch,
    Membership,
    Partnership,
    Source,
    Suggestion,
    field_choices,
    is_list_field,
    partnership_field,
    partnership_values,
    research_values,
)
from partnerships.notifications import queue_submission_emails, send_outbox_soon
from partnerships.validators import MAX_EMAIL_LENGTH, validate_plain_email, validate_web_address

MAX_EVIDENCE_URLS = 10
MAX_URL = Source._meta.get_field("url").max_length  # evidence becomes the record's sources
MAX_TEXT = 5000
SUMMARY_MAX = 2000
# Every text a visitor types is bounded, as it is stored and, once approved, published:
# by its model field's length where it has one, else by these, else by MAX_TEXT.
TEXT_LIMITS = {
    "summary": SUMMARY_MAX,
    "la_functions": RESEARCH_TEXT_MAX,
    "comment": MAX_TEXT,
    "evidence_urls": MAX_EVIDENCE_URLS * (MAX_URL + 1),
    "fax_number": 200,
}
# Years and dates people give are of this century's partnerships and research.
EARLIEST_YEAR = 1900
EARLIEST_RESEARCH = date(2000, 1, 1)
RATE_WINDOW = timedelta(hours=1)
# How the public form words the partnership's fields; the rest take the model's names.
FORM_LABELS = {
    "name": "Name of the partnership",
    "summary": "What it is and does",
    "la_role": "Role of the local authority",
    "scope": "Area covered",
    "local_authorities": "Local authorities covered",
    "founded_year": "Year founded",
    "legal_form_detail": "Legal form details (company or charity number...)",
    "funding_models": "Funding",
    "focus_areas": "What it works on",
    "declared_member_count": "Number of members",
}


def partnership_form_field(model_field, **kwargs):
    """The public form's version of a partnership field: optional, https by default for
    links, "Not sure" for an unanswered choice."""
    kwargs["required"] = False
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
        kwargs["validators"] = [validate_web_address]
    if model_field.name == "local_authorities":
        return forms.ModelMultipleChoiceField(
            queryset=LocalAuthority.objects.current().order_by("name"),
            to_field_name="ons_code",
            widget=forms.SelectMultiple(attrs={"size": 8, "data-typeahead": "local authorities"}),
            help_text="Hold Ctrl (or Cmd) to choose several.",
            **kwargs,
        )
    if model_field.choices and not is_list_field(model_field.name):
        return forms.ChoiceField(
            choices=[("", "Not sure"), *field_choices(model_field.name)], **kwargs
        )
    field = model_field.formfield(**kwargs)
    if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
        field.widget.attrs["rows"] = 4
    return field


class SuggestionLimitReached(Exception):
    """This client address, or this submitter's email, has reached its suggestions (or
    other requests) for the last RATE_WINDOW (the message says which, and when to try
    again)."""


def keyed_hash(text):
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def client_fingerprint(request):
    """A keyed hash of the client's address: enough to rate-limit, useless if leaked."""
    return keyed_hash(client_ip(request))


def normalised_email(email):
    return (email or "").strip().lower()


def counted(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


def rate_limit_reached(fingerprint, email="", model=Suggestion, noun="suggestion"):
    """Why this client may not send one more `model` now (SuggestionLimitReached), or
    None. Counted per address (SUGGESTIONS_PER_ADDRESS_PER_HOUR, generous for a shared
    school or council network) and per submitter email (SUGGESTIONS_PER_EMAIL_PER_HOUR),
    for each kind of submission (`model`: suggestions, API key requests) on its own."""
    recent = model.objects.filter(created_at__gte=timezone.now() - RATE_WINDOW)
    per_address = settings.SUGGESTIONS_PER_ADDRESS_PER_HOUR
    if recent.filter(client_fingerprint=fingerprint).count() >= per_address:
        return SuggestionLimitReached(
            f"This connection has sent {counted(per_address, noun)} in the last hour, the most "
            "we accept from one connection. Please send this one in an hour's time: what you "
            "typed is kept below."
        )
    email = normalised_email(email)
    per_email = settings.SUGGESTIONS_PER_EMAIL_PER_HOUR
    if email and recent.filter(submitter_email__iexact=email).count() >= per_email:
        return SuggestionLimitReached(
            f"{email} has sent {counted(per_email, noun)} in the last hour, the most we accept "
            "from one person. Please send this one in an hour's time: what you typed is kept "
            "below."
        )
    return None


def advisory_lock(hexdigest):
    key = int.from_bytes(bytes.fromhex(hexdigest[:16]), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def lock_client(fingerprint, email=""):
    """Serialise one client's (and one email's) submissions until the transaction ends
    (PostgreSQL advisory locks, the address's always first), so parallel posts cannot all
    pass the limit check at once."""
    advisory_lock(fingerprint)
    if normalised_email(email):
        advisory_lock(keyed_hash("email:" + normalised_email(email)))


def within_limits(fingerprint, email, model=Suggestion, noun="suggestion"):
    """In the transaction that saves a submission: this client and email locked, then
    SuggestionLimitReached raised (nothing saved) if they are over their limit."""
    lock_client(fingerprint, email)
    refused = rate_limit_reached(fingerprint, email, model=model, noun=noun)
    if refused:
        raise refused


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
    "evidence_year": {
        "invalid": "Enter the evidence year as a number, like 2025",
        "min_value": "The evidence year must be 1900 or later",
        "max_value": "The evidence year must be this year or earlier",
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


class PlainEmailField(forms.EmailField):
    """One plain address (`validate_plain_email`, which includes Django's own check)."""

    default_validators = [validate_plain_email]


def bound_length(field, limit):
    """Give a text field its limit, checked by the form and told to the browser."""
    if field.max_length != limit:
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


class SubmissionForm(forms.Form):
    """What every suggestion carries besides its proposed values: evidence, a comment, the
    submitter, and a field only bots fill."""

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
    submitter_email = PlainEmailField(label="Your email address", max_length=MAX_EMAIL_LENGTH)
    submitter_organisation = forms.CharField(
        label="Your organisation", max_length=200, required=False
    )
    submitter_role = forms.CharField(label="Your role", max_length=200, required=False)
    consent_to_contact = forms.BooleanField(
        label="You may contact me about this suggestion", required=False
    )
    # A field people never see; bots fill every field they find.
    fax_number = forms.CharField(label="Leave this field empty", required=False)

    def __init__(self, *args, current=None, **kwargs):
        """`current`: the record's values today, which the form starts from."""
        if current is not None:
            kwargs.setdefault("initial", {}).update(current)
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                bound_length(field, TEXT_LIMITS.get(name) or field.max_length or MAX_TEXT)
                limit = f"{field.label} must be %(limit_value)d characters or fewer"
                field.error_messages["max_length"] = limit
            if isinstance(field, forms.ChoiceField):
                field.error_messages.update(CHOICE_MESSAGE)
            field.error_messages.update(ERROR_MESSAGES.get(name, {}))

    def clean_evidence_urls(self):
        lines = [line.strip() for line in self.cleaned_data["evidence_urls"].splitlines()]
        urls = [line for line in lines if line]
        if len(urls) > MAX_EVIDENCE_URLS:
            raise ValidationError(f"Give at most {MAX_EVIDENCE_URLS} links.")
        for url in urls:
            if len(url) > MAX_URL:
                raise ValidationError(
                    f"“{url[:80]}…” is too long: each link must be {MAX_URL} characters or fewer."
                )
            try:
                validate_web_address(url)
            except ValidationError:
                raise ValidationError(
                    f"“{url[:80]}” is not a web address (http:// or https://)."
                ) from None
        return urls

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("fax_number"))


class SuggestionForm(SubmissionForm):
    """The partnership's suggestible fields (built from the model), plus evidence and the
    submitter."""

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

    def __init__(self, *args, partnership=None, **kwargs):
        self.partnership = partnership
        current = None if partnership is None else partnership_values(partnership)
        super().__init__(*args, current=current, **kwargs)
        this_year = timezone.localdate().year
        for name in ["founded_year", "evidence_year"]:
            self.fields[name].validators += [
                MinValueValidator(EARLIEST_YEAR),
                MaxValueValidator(this_year),
            ]
            self.fields[name].widget.attrs.update(min=EARLIEST_YEAR, max=this_year)
        self.fields["declared_member_count"].validators.append(MaxValueValidator(100000))
        if partnership is None:
            del self.fields["action"]
            self.fields["name"].required = True
            self.fields["summary"].required = True

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

    def proposed_values(self):
        values = {}
        for name in SUGGESTIBLE_FIELDS:
            value = self.cleaned_data.get(name)
            if name == "local_authorities":
                value = sorted(la.ons_code for la in (value or []))
            elif is_list_field(name):
                value = sorted(value or [])
            elif value is None and partnership_field(name).empty_strings_allowed:
                value = ""  # a text or choice left unanswered, or refused
            values[name] = value
        return values

    def proposed_changes(self):
        """For an amendment, only the fields the submitter changed."""
        proposed = self.proposed_values()
        if self.partnership is None:
            return {name: value for name, value in proposed.items() if value not in ("", [], None)}
        current = partnership_values(self.partnership)
        return {name: value for name, value in proposed.items() if value != current[name]}


def form_fields(model, fields, labels, formfield_callback, **own):
    """A suggestion form's fields in their order: the record's suggestible fields as the
    public form shows them, the form's own, then what every submission carries."""
    return {
        **forms.fields_for_model(
            model, fields=fields, labels=labels, formfield_callback=formfield_callback
        ),
        **own,
        **SubmissionForm.base_fields,
    }


SuggestionForm.base_fields = form_fields(
    Partnership,
    SUGGESTIBLE_FIELDS,
    FORM_LABELS,
    partnership_form_field,
    action=SuggestionForm.base_fields["action"],
)


class ResearchSuggestionForm(SubmissionForm):
    """What people know about an LA: its research record's suggestible fields (from the
    model), plus evidence and the submitter."""

    def __init__(self, *args, research, **kwargs):
        self.research = research
        super().__init__(*args, current=research_values(research), **kwargs)
        self.fields["none_found_on"].validators += [
            MinValueValidator(
                EARLIEST_RESEARCH, f"The date must be in {EARLIEST_RESEARCH.year} or later."
            ),
            MaxValueValidator(timezone.localdate(), "The date cannot be in the future."),
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.proposed_changes() and not cleaned.get("comment"):
            raise ValidationError(
                "Nothing was changed. Change a field, or tell moderators what you know."
            )
        return cleaned

    def proposed_changes(self):
        current = research_values(self.research)
        proposed = {}
        for name in RESEARCH_SUGGESTIBLE_FIELDS:
            value = self.cleaned_data.get(name)
            value = value.isoformat() if hasattr(value, "isoformat") else value
            if value != current[name]:
                proposed[name] = value
        return proposed


ResearchSuggestionForm.base_fields = form_fields(
    LAResearch,
    RESEARCH_SUGGESTIBLE_FIELDS,
    {
        "summary": "How schools work together there",
        "la_functions": "School-improvement functions the council keeps",
        "none_found_on": "Date you looked and found no local partnership (YYYY-MM-DD)",
    },
    lambda field, **kwargs: field.formfield(required=False, **kwargs),
)


class MembershipSuggestionForm(SubmissionForm):
    """ "We take part in this partnership": which organisation (a school, trust or LA, by
    its register identifier) takes part in which published partnership, in what role.
    `partnership` given: the form is about that one (its page's link); else it is chosen.
    `member` ({"kind", "identifier"}) fills in the organisation (a trust's or school's
    page's link)."""

    field_order = ["partnership", "member_kind", "member_identifier", "role"]

    partnership = forms.ModelChoiceField(
        label="Partnership",
        queryset=Partnership.objects.published().order_by("name"),
        to_field_name="slug",
        empty_label="Choose a partnership",
        error_messages={"required": "Choose the partnership it takes part in"},
    )
    member_kind = forms.ChoiceField(
        label="Which kind of organisation takes part?",
        choices=[(kind, Membership.Kind(kind).label) for kind in REGISTERED_MEMBERS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is a school, a trust or a local authority"},
    )
    member_identifier = forms.CharField(
        label="Its identifier",
        max_length=20,
        help_text=(
            "A school's URN, a trust's group UID (both on Get Information About Schools, and "
            "in the address of the school's or trust's page on this map), or a local "
            "authority's ONS code, like E08000039."
        ),
        error_messages={"required": "Enter the school's URN, the trust's UID or the LA's code"},
    )
    role = forms.CharField(
        label="Its role in the partnership (if you know it)",
        max_length=Membership._meta.get_field("role").max_length,
        required=False,
        help_text="For example: member, founding member, lead school.",
    )

    def __init__(self, *args, partnership=None, member=None, **kwargs):
        self.fixed_partnership = partnership
        initial = kwargs.setdefault("initial", {})
        if member:
            initial.update(member_kind=member["kind"], member_identifier=member["identifier"])
        super().__init__(*args, **kwargs)
        if partnership is not None:
            del self.fields["partnership"]
        evidence = self.fields["evidence_urls"]
        evidence.label = "Source: a public page that shows it takes part (if there is one)"
        evidence.widget.attrs["rows"] = 2

    def clean(self):
        cleaned = super().clean()
        if self.fixed_partnership is not None:
            cleaned["partnership"] = self.fixed_partnership
        kind, identifier = cleaned.get("member_kind"), cleaned.get("member_identifier")
        if not (kind and identifier):
            return cleaned
        try:
            self.member = find_member(kind, identifier)
        except MemberNotFound as problem:
            self.add_error("member_identifier", str(problem))
            return cleaned
        partnership = cleaned.get("partnership")
        if partnership and self.member.memberships(partnership).exists():
            self.add_error(
                "member_identifier",
                f"{self.member.name} is already listed as a member of {partnership.name}. "
                "To correct its role, suggest a change to the partnership.",
            )
        return cleaned

    def proposed_changes(self):
        proposed = {"member": self.member.key}
        if self.cleaned_data.get("role"):
            proposed["role"] = self.cleaned_data["role"]
        return proposed


def submit_membership(form, fingerprint):
    """Save a membership suggestion (the member not listed yet, so no baseline values)."""
    return save_suggestion(
        form,
        fingerprint,
        kind=Suggestion.Kind.MEMBERSHIP,
        partnership=form.cleaned_data["partnership"],
        proposed=form.proposed_changes(),
        baseline={"member": None, "role": None},
    )


def submit(form, fingerprint):
    """Save the suggestion and queue its emails, in one transaction; returns it."""
    partnership = form.partnership
    if partnership is None:
        kind, proposed = Suggestion.Kind.NEW, form.proposed_changes()
    elif form.cleaned_data.get("action") == "closure":
        kind, proposed = Suggestion.Kind.CLOSURE, {"status": Partnership.Status.CEASED}
    else:
        kind, proposed = Suggestion.Kind.AMENDMENT, form.proposed_changes()
    return save_suggestion(
        form,
        fingerprint,
        kind=kind,
        partnership=partnership,
        proposed=proposed,
        baseline=partnership_values(partnership) if partnership else {},
    )


def submit_research(form, fingerprint):
    """Save a suggested change to an LA's research record; returns the suggestion."""
    return save_suggestion(
        form,
        fingerprint,
        kind=Suggestion.Kind.RESEARCH,
        research=form.research,
        proposed=form.proposed_changes(),
        baseline=research_values(form.research),
    )


def save_suggestion(form, fingerprint, **target):
    """The suggestion, with its evidence and submitter, and its emails queued, in one
    transaction. Raises SuggestionLimitReached, saving nothing, when this client or email
    is over its limit (checked under a lock, so parallel posts cannot all pass)."""
    with transaction.atomic():
        within_limits(fingerprint, form.cleaned_data["submitter_email"])
        suggestion = Suggestion.objects.create(
            **target,
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
