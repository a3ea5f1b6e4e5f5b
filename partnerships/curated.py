"""Load the curated set of real partnerships (fixtures/partnerships/partnerships.json).

Idempotent: a partnership is written only when its curated record changed since it was
last loaded, and never over a change a person made since (moderated corrections win; the
loader says which records it skipped). Everything is validated before anything is
written, and written in one transaction.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from geodata.models import LocalAuthority
from partnerships.models import (
    FocusArea,
    FundingModel,
    Governance,
    Membership,
    Partnership,
    Phase,
    Source,
)
from partnerships.validators import encode_web_address, validate_web_address

CURATED_FILE = Path(settings.BASE_DIR) / "fixtures" / "partnerships" / "partnerships.json"
CHANGE_REASON = "Loaded from the curated data set"
ENUMS = {
    "status": Partnership.Status,
    "la_role": Partnership.LARole,
    "scope": Partnership.Scope,
    "legal_form": Partnership.LegalForm,
    "evidence": Partnership.Evidence,
}
ENUM_LISTS = {
    "funding_models": FundingModel,
    "governance": Governance,
    "focus_areas": FocusArea,
    "phases": Phase,
}
FIELDS = [
    "name",
    "also_known_as",
    "summary",
    "website",
    "status",
    "la_role",
    "la_role_note",
    "scope",
    "founded_year",
    "legal_form",
    "legal_form_detail",
    "funding_models",
    "governance",
    "focus_areas",
    "phases",
    "declared_member_count",
    "declared_member_count_note",
    "evidence",
    "unverified_notes",
]


class CuratedDataError(Exception):
    """The curated file cannot be loaded; the message says where and why."""


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    kept_human_edits: list = field(default_factory=list)


def record_hash(record):
    encoded = json.dumps(record, sort_keys=True).encode()
    return hashlib.md5(encoded, usedforsecurity=False).hexdigest()


def resolve_authorities(codes, where):
    authorities = []
    for code in codes:
        matches = list(LocalAuthority.objects.current().resolve(code))
        if not matches:
            raise CuratedDataError(f"{where}: no current local authority has the code {code!r}")
        authorities.extend(matches)
    return authorities


def validate(record, index):
    where = f"record {index} ({record.get('slug', 'no slug')})"
    for key in ("slug", "name", "summary", "scope", "sources"):
        if not record.get(key):
            raise CuratedDataError(f"{where}: {key} is required")
    for key, choices in ENUMS.items():
        value = record.get(key, "")
        if value and value not in choices.values:
            raise CuratedDataError(f"{where}: {key} {value!r} is not one of {choices.values}")
    for key, choices in ENUM_LISTS.items():
        unknown = set(record.get(key, [])) - set(choices.values)
        if unknown:
            raise CuratedDataError(f"{where}: unknown {key}: {', '.join(sorted(unknown))}")
    for holder, key in [(record, "website"), *((source, "url") for source in record["sources"])]:
        if key == "website" and not holder.get(key):
            continue
        # An en dash or a space is percent-encoded, as a browser would; anything else that
        # is not a web address is refused.
        holder[key] = encode_web_address(str(holder.get(key) or ""))
        try:
            validate_web_address(holder[key])
        except ValidationError:
            raise CuratedDataError(
                f"{where}: {key} {holder[key]!r} is not a web address (http:// or https://)"
            ) from None
    return where


def read_records(path):
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CuratedDataError(f"cannot read {path}: {error}") from error
    if not isinstance(records, list):
        raise CuratedDataError(f"{path} must hold a JSON list of partnerships")
    slugs = [record.get("slug") for record in records]
    repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if repeated:
        raise CuratedDataError(f"slugs used twice: {', '.join(repeated)}")
    prepared = []
    for index, record in enumerate(records, start=1):
        where = validate(record, index)
        authorities = resolve_authorities(record.get("local_authorities", []), where)
        members = []
        for member in record.get("members", []):
            kind = member.get("kind")
            if kind not in Membership.Kind.values:
                raise CuratedDataError(f"{where}: member kind {kind!r} is not known")
            values = {
                "kind": kind,
                "name": member["name"],
                "role": member.get("role", ""),
                "organisation_type": member.get("organisation_type", ""),
            }
            identifier = str(member.get("identifier") or "")
            if kind == Membership.Kind.LOCAL_AUTHORITY:
                matches = resolve_authorities([identifier], where)
                if len(matches) != 1:
                    raise CuratedDataError(f"{where}: member code {identifier} is ambiguous")
                values["local_authority"] = matches[0]
            elif kind == Membership.Kind.SCHOOL:
                values["school_id"] = int(identifier)
            elif kind == Membership.Kind.TRUST:
                values["trust_id"] = int(identifier)
            members.append(values)
        prepared.append((record, authorities, members))
    return prepared


def edited_by_a_person(partnership):
    """Loads run without a user; moderators' changes always carry theirs."""
    return partnership.history.filter(history_user__isnull=False).exists()


@transaction.atomic
def load_curated_partnerships(path=CURATED_FILE):
    report = LoadReport()
    for record, authorities, members in read_records(path):
        digest = record_hash(record)
        partnership = Partnership.objects.filter(slug=record["slug"]).first()
        if partnership and partnership.curated_hash == digest:
            if partnership.display_footprint is None:
                partnership.refresh_display_footprint()
            report.unchanged.append(record["slug"])
            continue
        if partnership and edited_by_a_person(partnership):
            report.kept_human_edits.append(record["slug"])
            continue
        created = partnership is None
        partnership = partnership or Partnership(slug=record["slug"], published=True)
        for name in FIELDS:
            default = [] if name in ENUM_LISTS or name == "also_known_as" else ""
            value = record.get(name, default)
            setattr(partnership, name, value if value is not None else None)
        partnership.curated_hash = digest
        partnership._change_reason = CHANGE_REASON
        partnership.save()
        partnership.local_authorities.set(authorities)
        partnership.refresh_display_footprint()
        partnership.members.all().delete()
        Membership.objects.bulk_create(
            Membership(partnership=partnership, **member) for member in members
        )
        partnership.sources.all().delete()
        Source.objects.bulk_create(
            Source(
                partnership=partnership,
                url=source["url"],
                title=source.get("title") or source["url"],
                accessed=source.get("accessed"),
            )
            for source in record["sources"]
        )
        (report.created if created else report.updated).append(record["slug"])
    return report
