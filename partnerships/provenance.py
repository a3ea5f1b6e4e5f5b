"""Which source says which fact.

Every source of a curated record lists the record's fields it states (`supports`) and
those it supports only by one of the written inference rules (`infers`; the rules are in
fixtures/partnerships/README.md, and the fields they may apply to are `INFERABLE`). The
loaders refuse a non-empty field that no read source supports, naming the record and the
field; the pages number the sources and show beside each fact which of them say it; the
API and the downloads carry the same lists.
"""

import re

# The fields of a partnership record a source must support when they say something. The
# rest are ours (slug, confidence, notes, verification date), or follow from these (scope
# from the areas, legal-form wording from the form, a status the rule derives).
PARTNERSHIP_CLAIMS = (
    "name",
    "also_known_as",
    "summary",
    "website",
    "status",
    "evidence_year",
    "founded_year",
    "kind",
    "la_role",
    "local_authorities",
    "reach",
    "legal_form",
    "funding_models",
    "governance",
    "focus_areas",
    "phases",
    "members",
    "declared_member_count",
    "successor",
)
RESEARCH_CLAIMS = ("summary", "council_role", "la_functions")

# What a written rule may infer (fixtures/partnerships/README.md, "Inference").
INFERABLE = frozenset(
    {"reach", "local_authorities", "kind", "focus_areas", "evidence_year", "la_role"}
)

# Values that claim nothing: a field holding one needs no source.
SAYS_NOTHING = {"reach": "unknown", "council_role": "unknown"}

PUBLISHED_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class ProvenanceError(ValueError):
    """A record's sources do not say what the record says; the message names the field."""


def makes_claim(record, name):
    """Whether the record says something in this field (a dict of curated values)."""
    value = record.get(name)
    if name == "status":
        return value == "ceased"  # otherwise the rule derives it from the evidence year
    if name == "successor":
        return bool(record.get("successor_relation") or record.get("successor_name"))
    return value not in (None, "", [], {}) and value != SAYS_NOTHING.get(name)


def said_by(sources):
    """{field: [(number, inferred)]}: the read sources (numbered from 1 in their order)
    that state or infer each field. Sources are dicts or `Source` rows."""
    said = {}
    for number, source in enumerate(sources, start=1):
        if not _get(source, "checked"):
            continue
        for name in _get(source, "supports") or ():
            said.setdefault(name, []).append((number, False))
        for name in _get(source, "infers") or ():
            said.setdefault(name, []).append((number, True))
    return said


def check_sources(sources, claims, where):
    """Refuse a source naming a field that is not a claim, an inference no rule allows, or
    a published date that is not one."""
    for source in sources:
        label = f"{where}: source {source.get('url')}"
        for key in ("supports", "infers"):
            names = source.get(key, [])
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ProvenanceError(f"{label}: {key} must be a list of field names")
            unknown = sorted(set(names) - set(claims))
            if unknown:
                raise ProvenanceError(f"{label}: {key} names unknown fields: {', '.join(unknown)}")
        not_inferable = sorted(set(source.get("infers", [])) - INFERABLE)
        if not_inferable:
            raise ProvenanceError(
                f"{label}: no written rule infers {', '.join(not_inferable)} (state it instead)"
            )
        published = source.get("published")
        if published and not (isinstance(published, str) and PUBLISHED_DATE.match(published)):
            raise ProvenanceError(
                f"{label}: published {published!r} is not YYYY, YYYY-MM or a date"
            )


def unsupported_claims(record, claims, sources):
    """The fields the record fills that no read source supports or infers."""
    said = said_by(sources)
    return [name for name in claims if makes_claim(record, name) and name not in said]


def require_support(record, claims, sources, where, exempt=()):
    check_sources(sources, claims, where)
    missing = [name for name in unsupported_claims(record, claims, sources) if name not in exempt]
    if missing:
        raise ProvenanceError(
            f"{where}: no read source supports {', '.join(missing)} (add the source that says "
            "it to `supports`, or empty the field)"
        )


def _get(source, key):
    return source.get(key) if isinstance(source, dict) else getattr(source, key)


# A council named as such ("the council", "Tameside Local Authority", "the LA"), not a
# pupils' or young people's council.
COUNCIL_WORDS = re.compile(
    r"(?<![Ss]tudent )(?<![Ss]chool )(?<![Yy]outh )(?<![Pp]upil )\b(?i:council)\b"
    r"|\b(?i:local authority)\b|\bLA\b"
)


def check_la_role(record, where):
    """ "Schools-led; no council role stated" must be true: refused while a member is a
    council or a read source names one (then the council is a partner, or more)."""
    if record.get("la_role") != "schools_led":
        return
    if any(member.get("kind") == "local_authority" for member in record.get("members", [])):
        raise ProvenanceError(
            f"{where}: la_role says no council role is stated, but a member is a council"
        )
    for source in record.get("sources", []):
        if source.get("checked") and COUNCIL_WORDS.search(source.get("says", "")):
            raise ProvenanceError(
                f"{where}: la_role says no council role is stated, but source "
                f"{source.get('url')} names the council: {source.get('says')!r}"
            )
