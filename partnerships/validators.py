"""Web addresses we store and publish: http(s) only, and valid URIs (RFC 3986), so every
API client can rely on `format: uri` and no page ever carries markup in an address."""

import re
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

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
