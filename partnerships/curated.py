"""Load the curated set of real partnerships (fixtures/partnerships/partnerships.json).

Idempotent: a partnership is written only when its curated record changed since it was
last loaded, and never over a change a person made since (moderated corrections win; the
loader says which records it skipped). Everything is validated before anything is
written, and written in one transaction.

A record's `status` must be the one the written rule gives from its `evidence_year` and
the year of its `last_verified` date (`status_from_evidence`); `ceased` is taken as stated,
since only a source can say a body closed. A contradicting record is refused, naming it.
A trust member named by its census name (null identifier) is linked to the register's
trust of that normalised name; while the register does not hold it, the member is left out
and counted, and the record is loaded again once it can be linked.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from geodata.models import LocalAuthority, Trust
from geodata.trusts import current_trust_uid
from partnerships.changelog import recording
from partnerships.models import (
    CURATED_FIELDS,
    ChangeLogEntry,
    Membership,
    Partnership,
    Source,
    field_choices,
    is_list_field,
    partnership_field,
    status_from_evidence,
)
from partnerships.provenance import (
    PARTNERSHIP_CLAIMS,
    ProvenanceError,
    check_la_role,
    require_support,
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
    unlinked_trust_members: int = 0


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


def flatten_successor(record, where):
    """`successor: {relation, name, year}` in the file; three fields on the model."""
    successor = record.pop("successor", None) or {}
    if not isinstance(successor, dict) or set(successor) - {"relation", "name", "year"}:
        raise CuratedDataError(f"{where}: successor must be null or {{relation, name, year}}")
    record["successor_relation"] = successor.get("relation") or ""
    record["successor_name"] = successor.get("name") or ""
    record["successor_year"] = successor.get("year")


def validate(record, index):
    where = f"record {index} ({record.get('slug', 'no slug')})"
    flatten_successor(record, where)
    for key in ("slug", "name", "summary", "scope", "sources"):
        if not record.get(key):
            raise CuratedDataError(f"{where}: {key} is required")
    too_long = [
        f"{key} ({len(value)} characters, at most {limit})"
        for holder, model, keys in [
            (record, Partnership, CURATED_FIELDS),
            *((member, Membership, ["name", "role"]) for member in record.get("members", [])),
            *((source, Source, ["url", "title"]) for source in record["sources"]),
        ]
        for key in keys
        if isinstance(value := holder.get(key), str)
        and (limit := model._meta.get_field(key).max_length)
        and len(value) > limit
    ]
    if too_long:
        raise CuratedDataError(f"{where}: too long: {', '.join(too_long)}")
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
    for source in record["sources"]:
        parse_date(source.get("accessed"), f"{where}: source {source['url']} accessed")
        if not isinstance(source.get("checked", False), bool):
            raise CuratedDataError(f"{where}: source {source['url']} checked must be true/false")
    validate_status(record, where)
    try:
        require_support(record, PARTNERSHIP_CLAIMS, record["sources"], where)
        check_la_role(record, where)
    except ProvenanceError as error:
        raise CuratedDataError(str(error)) from None
    return where


def parse_date(value, where):
    """A date from "YYYY-MM-DD", or None; anything else is refused."""
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CuratedDataError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def validate_status(record, where):
    evidence_year = record.get("evidence_year")
    if evidence_year is not None and (not isinstance(evidence_year, int) or evidence_year < 1900):
        raise CuratedDataError(f"{where}: evidence_year {evidence_year!r} is not a year")
    verified = parse_date(record.get("last_verified"), f"{where}: last_verified")
    verified_year = (verified or datetime.date.today()).year
    if evidence_year is not None and evidence_year > verified_year:
        raise CuratedDataError(f"{where}: evidence_year {evidence_year} is after last_verified")
    status = record.get("status", Partnership.Status.UNKNOWN)
    expected = status_from_evidence(
        evidence_year, verified_year, ceased=status == Partnership.Status.CEASED
    )
    if status != expected:
        raise CuratedDataError(
            f"{where}: status {status!r} contradicts the status rule: evidence year "
            f"{evidence_year}, verified in {verified_year}, gives {expected.value!r}"
        )


def read_json_list(path):
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CuratedDataError(f"cannot read {path}: {error}") from error
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise CuratedDataError(f"{path} must hold a JSON list of records")
    return records


def read_records(path):
    records = read_json_list(path)
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
            if (
                kind == Membership.Kind.TRUST
                and member.get("identifier") is None
                and not Trust.objects.named(member["name"]).exists()
            ):
                members.append(None)  # not in the register yet: linked on a later load
                continue
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


def edited_by_a_person(record):
    """Loads run without a user; moderators' changes always carry theirs."""
    return record.history.filter(history_user__isnull=False).exists()


@transaction.atomic
def load_curated_partnerships(path=CURATED_FILE):
    report = LoadReport()
    for record, authorities, named_members in read_records(path):
        members = [member for member in named_members if member is not None]
        unlinked = len(named_members) - len(members)
        report.unlinked_trust_members += unlinked
        # Members that could not be linked yet make a different fingerprint, so the record
        # is applied again once the register holds them.
        digest = record_hash({**record, "unlinked_trust_members": unlinked} if unlinked else record)
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
        with recording(partnership, ChangeLogEntry.Origin.CURATED):
            for name in CURATED_FIELDS:
                value = record.get(name, partnership_field(name).get_default())
                if name == "last_verified":
                    value = parse_date(value, record["slug"])
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
                checked=source.get("checked", False),
                says=source.get("says", ""),
                published=source.get("published") or "",
                supports=source.get("supports", []),
                infers=source.get("infers", []),
            )
            for source in record["sources"]
        )
        (report.created if created else report.updated).append(record["slug"])
    return report
