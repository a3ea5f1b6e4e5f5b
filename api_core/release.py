"""Which release of the code is running. Kept answers name it (`kept_answers.address_of`),
so a new release never serves pages the old code rendered, which name static files (by
their hashed names) and features the new release may no longer have."""

import functools
import hashlib

from django.conf import settings

# What decides a rendered answer: the code, its templates and static files, and the
# pinned dependencies.
RELEASE_PATHS = (
    "api_core",
    "geodata",
    "partnerships",
    "partnerships_map",
    "templates",
    "static",
    "pyproject.toml",
)


@functools.cache
def code_release():
    """`RELEASE` from the environment if the deployment names its releases, otherwise a
    fingerprint of the files that render answers (read once per process: about 240 files)."""
    if settings.RELEASE:
        return settings.RELEASE
    fingerprint = hashlib.sha256()
    for name in RELEASE_PATHS:
        root = settings.BASE_DIR / name
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                fingerprint.update(str(path.relative_to(settings.BASE_DIR)).encode())
                fingerprint.update(path.read_bytes())
    return fingerprint.hexdigest()[:12]
