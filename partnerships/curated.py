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

from geodata.models import LocalAuthority, Trust
from geodata.trusts import current_trust_uid
from partnerships.models import (
    CURATED_FIELDS,
    Membership,
    Partnership,
    Source,
    field_choices,
    is_list_field,
    partnership_field,
)
from partnerships.validators import encode_web_address, validate_web_address

CURATED_FILE = Path(settings.BASE_DIR) / "fixtures" / "partnerships" / "partnerships.json"
CHANGE_REASON = "Loaded from the curated data set"


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


def resolve_trust(identifier, name, where):
    """A trust member's uid: its GIAS UID when given, else found by its (census) name."""
    if identifier:
        return current_trust_uid(int(identifier))
    trust = Trust.objects.named(name).first()
    if trust is None:
        raise CuratedDataError(
            f"{where}: no trust named {name!r} is in the register (load the school register "
            "first, or give the trust's GIAS UID as its identifier)"
        )
    return trust.uid


def validate(record, index):
    where = f"record {index} ({record.get('slug', 'no slug')})"
    for key in ("slug", "name", "summary", "scope", "sources"):
        if not record.get(key):
            raise CuratedDataError(f"{where}: {key} is required")
    for key in CURATED_FIELDS:
        allowed = [value for value, _ in field_choices(key)]
        if not allowed or key not in record:
            continue
        if is_list_field(key):
            unknown = sorted(set(record[key]) - set(allowed))
            if unknown:
                raise CuratedDataError(f"{where}: unknown {key}: {', '.join(unknown)}")
        elif record[key] and record[key] not in allowed:
            raise CuratedDataError(f"{where}: {key} {record[key]!r} is not one of {allowed}")
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
                values["trust_id"] = resolve_trust(identifier, member["name"], where)
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
        for name in CURATED_FIELDS:
            value = record.get(name, partnership_field(name).get_default())
            setattr(partnership, name, value)
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
