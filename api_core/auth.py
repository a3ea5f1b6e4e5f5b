"""API keys: partners identify themselves for higher rate limits; anyone may read without."""

import hashlib
import threading
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_api_key.models import APIKey
from rest_framework_api_key.permissions import KeyParser

MAX_REMEMBERED = 1000
_verified = {}  # SHA-256 of a key -> (its APIKey, when it was checked)
_verified_lock = threading.Lock()


def verified_key(key):
    """The valid APIKey that `key` is, or None. The database and the key's deliberately slow
    hash are asked once per key every `API_KEY_TRUST_SECONDS` in each process, not on
    every request, so a partner is answered as fast as an anonymous visitor; a key revoked
    elsewhere stops working within those seconds (at once in the process that revoked it)."""
    digest = hashlib.sha256(key.encode()).digest()
    known = _verified.get(digest)
    now = time.monotonic()
    if known is not None and now - known[1] < settings.API_KEY_TRUST_SECONDS:
        return None if known[0].has_expired else known[0]
    try:
        api_key = APIKey.objects.get_from_key(key)
    except APIKey.DoesNotExist:
        api_key = None
    if api_key is None or not api_key.is_valid(key):
        _verified.pop(digest, None)
        return None
    with _verified_lock:
        if len(_verified) >= MAX_REMEMBERED:
            _verified.clear()
        _verified[digest] = (api_key, now)
    return api_key


def forget_verified_keys(**kwargs):
    """`post_save` of an APIKey (a revocation in the admin): this process asks again."""
    _verified.clear()


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <key>` (or `X-Api-Key: <key>`) identifies a partner for
    higher rate limits."""

    keyword = "Api-Key"

    def authenticate(self, request):
        parser = KeyParser()
        key = parser.get_from_authorization(request) or parser.get_from_header(
            request, "HTTP_X_API_KEY"
        )
        if not key:
            return None
        api_key = verified_key(key)
        if api_key is None:
            raise AuthenticationFailed("This API key is not valid, or has been revoked.")
        return AnonymousUser(), api_key

    def authenticate_header(self, request):
        return self.keyword


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: optional; keys get higher rate limits.",
        }
