"""Addresses we store and publish or write to. Web addresses: http(s) only, and valid URIs
(RFC 3986), so every API client can rely on `format: uri` and no page ever carries markup
in an address. Email addresses: one plain mailbox each, never a list in disguise."""

import re
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

# RFC 3986's unreserved and reserved characters, and percent escapes.
URI_CHARACTERS = "-._~:/?#[]@!$&'()*+,;=%"
URI = re.compile(r"[A-Za-z0-9" + re.escape(URI_CHARACTERS) + r"]*\Z")
is_web_url = URLValidator(schemes=["http", "https"])


def validate_web_address(value):
    """Django's URLValidator lets quotes, angle brackets and non-ASCII characters through
    in the path (`https://example.org/"><script>`); a URI may not hold them."""
    message = "Enter a web address starting with http:// or https://, with no spaces or quotes."
    try:
        is_web_url(value)
    except ValidationError:
        raise ValidationError(message, code="not_web_address") from None
    if not URI.match(value):
        raise ValidationError(message, code="not_web_address")


def encode_web_address(value):
    """An internationalised address (an en dash in a path) as a URI: its non-ASCII
    characters percent-encoded in UTF-8, as browsers do (RFC 3987). ASCII is left alone,
    so quotes and angle brackets still fail validation."""
    return "".join(char if char.isascii() else quote(char) for char in value)


# A local part as RFC 5322's dot-atom: no quoted strings, so no commas, spaces or quotes.
ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
PLAIN_LOCAL_PART = re.compile(rf"{ATOM}(\.{ATOM})*\Z")
MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a path


def validate_plain_email(value):
    """One mailbox we may write to. Django's check admits a quoted local part, in which a
    comma is valid (`"x,victim@example.org"@example.org`): harmless to a mail server,
    dangerous to anything that ever splits addresses. People's addresses have none."""
    validate_email(value)
    local_part = value.rpartition("@")[0]
    if len(value) > MAX_EMAIL_LENGTH or not PLAIN_LOCAL_PART.match(local_part):
        raise ValidationError(
            "Enter one email address, like name@example.org, with no quotes or commas",
            code="not_plain_email",
        )
