"""Asking for an API key: the public form, and the moderator's decision.

A request is limited per client address and per email like suggestions (the same
`rate_limit_reached`, counted over requests), and its emails go through the outbox. A key
is made only when a moderator issues it: djangorestframework-api-key keeps its prefix and
a hash, the key itself goes in one email whose text is erased once sent
(`OutboxMessage.secret`), and nothing ever shows it again.
"""

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework_api_key.models import APIKey

from partnerships.models import ApiKeyRequest
from partnerships.notifications import moderator_addresses, queue, send_outbox_soon
from partnerships.suggestions import (
    ERROR_MESSAGES,
    PlainEmailField,
    bound_length,
    rate_limit_reached,
    within_limits,
)
from partnerships.validators import MAX_EMAIL_LENGTH

INTENDED_USE_MAX = ApiKeyRequest._meta.get_field("intended_use").validators[0].limit_value
# The name djangorestframework-api-key shows moderators in its admin (at most 50 characters).
KEY_NAME_MAX = APIKey._meta.get_field("name").max_length


class ModerationError(Exception):
    """The action cannot be taken; the message says why, for the moderator."""


class ApiKeyRequestForm(forms.Form):
    submitter_name = forms.CharField(label="Your name", max_length=200)
    submitter_organisation = forms.CharField(
        label="Your organisation", max_length=200, required=False
    )
    submitter_email = PlainEmailField(
        label="Your email address",
        max_length=MAX_EMAIL_LENGTH,
        help_text="The key is sent to this address, once.",
    )
    intended_use = forms.CharField(
        label="What you will use the API for",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=INTENDED_USE_MAX,
        help_text="A sentence or two: the project, and roughly how many requests a day.",
        error_messages={"required": "Say what you will use the API for"},
    )
    # A field people never see; bots fill every field they find.
    fax_number = forms.CharField(label="Leave this field empty", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            bound_length(field, field.max_length or 200)
            field.error_messages["max_length"] = (
                f"{field.label} must be %(limit_value)d characters or fewer"
            )
            field.error_messages.update(ERROR_MESSAGES.get(name, {}))

    def clean_intended_use(self):
        use = self.cleaned_data["intended_use"].strip()
        if len(use) < 10:
            raise forms.ValidationError(
                "Say in a few words what you will use the API for (10 characters or more)"
            )
        return use

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("fax_number"))


def limit_reached(fingerprint, email=""):
    return rate_limit_reached(fingerprint, email, model=ApiKeyRequest, noun="request")


def submit_request(form, fingerprint):
    """Save the request and queue its emails, in one transaction; returns it. Raises
    SuggestionLimitReached, saving nothing, when this client or email is over its limit."""
    with transaction.atomic():
        email = form.cleaned_data["submitter_email"]
        within_limits(fingerprint, email, model=ApiKeyRequest, noun="request")
        request = ApiKeyRequest.objects.create(
            submitter_name=form.cleaned_data["submitter_name"],
            submitter_organisation=form.cleaned_data["submitter_organisation"],
            submitter_email=email,
            intended_use=form.cleaned_data["intended_use"],
            client_fingerprint=fingerprint,
            status=ApiKeyRequest.Status.SPAM if form.is_spam else ApiKeyRequest.Status.PENDING,
        )
        if not form.is_spam:
            context = {"request": request, "site_url": settings.SITE_URL}
            queue(
                [email],
                "Your request for an API key has been received",
                "partnerships/email/api_key_acknowledgement.txt",
                context,
                api_key_request=request,
            )
            queue(
                moderator_addresses(),
                "A request for an API key is waiting",
                "partnerships/email/api_key_moderator_notice.txt",
                context,
                api_key_request=request,
            )
            transaction.on_commit(send_outbox_soon)
    return request


def locked_pending(request_id):
    request = ApiKeyRequest.objects.select_for_update().get(pk=request_id)
    if request.status != ApiKeyRequest.Status.PENDING:
        raise ModerationError(
            f"This request has already been decided ({request.get_status_display().lower()}); "
            "nothing was changed."
        )
    if request.personal_data_erased_at or not request.submitter_email:
        raise ModerationError("This request's email address has been erased; nothing was sent.")
    return request


def decide(request, status, user, reason=""):
    request.status = status
    request.decided_at = timezone.now()
    request.decided_by = user
    request.decision_reason = reason
    request.save()


def issue_key(request_id, user):
    """Make the key and queue the one email that carries it (its text erased once sent);
    returns the APIKey (prefix and hash: the key itself is not kept anywhere)."""
    with transaction.atomic():
        request = locked_pending(request_id)
        holder = request.submitter_organisation or request.submitter_name
        api_key, key = APIKey.objects.create_key(
            name=f"{holder[: KEY_NAME_MAX - 12]} (request {request.pk})"[:KEY_NAME_MAX]
        )
        request.api_key = api_key
        decide(request, ApiKeyRequest.Status.ISSUED, user)
        queue(
            [request.submitter_email],
            "Your API key for England's education partnerships map",
            "partnerships/email/api_key_issued.txt",
            {"request": request, "key": key, "site_url": settings.SITE_URL},
            api_key_request=request,
            secret=True,
        )
        transaction.on_commit(send_outbox_soon)
    return api_key


def decline(request_id, user, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Give a reason for declining: it is sent to the requester.")
    with transaction.atomic():
        request = locked_pending(request_id)
        decide(request, ApiKeyRequest.Status.DECLINED, user, reason)
        queue(
            [request.submitter_email],
            "Your request for an API key",
            "partnerships/email/api_key_declined.txt",
            {"request": request, "site_url": settings.SITE_URL},
            api_key_request=request,
        )
        transaction.on_commit(send_outbox_soon)
    return request
