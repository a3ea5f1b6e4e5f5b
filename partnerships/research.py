"""LA research records: what we know about school collaboration in each local authority.

`load_la_research` loads the curated records (fixtures/partnerships/la_research.json) the
way the partnerships are loaded: validated first, written in one transaction, a record
written only when it changed since it was last loaded and never over a moderator's edit;
a second load writes nothing. Every current LA gets a record, an empty one (not
researched) where the file says nothing.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from geodata.models import LocalAuthority
from partnerships.changelog import recording
from partnerships.curated import (
    CHANGE_REASON,
    CuratedDataError,
    edited_by_a_person,
    parse_date,
    read_json_list,
    record_hash,
)
from partnerships.models import ChangeLogEntry, LAResearch
from partnerships.provenance import RESEARCH_CLAIMS, ProvenanceError, require_support

RESEARCH_FILE = Path(settings.BASE_DIR) / "fixtures" / "partnerships" / "la_research.json"
SOURCE_KEYS = {"url", "title", "accessed", "checked", "says", "published", "supports", "infers"}


@dataclass
class ResearchLoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    kept_human_edits: list = field(default_factory=list)


def validated_sources(sources, where):
    if not isinstance(sources, list):
        raise CuratedDataError(f"{where}: sources must be a list")
    for source in sources:
        if not isinstance(source, dict) or set(source) - SOURCE_KEYS:
            raise CuratedDataError(f"{where}: a source has keys other than {sorted(SOURCE_KEYS)}")
        if not str(source.get("url", "")).startswith(("http://", "https://")):
            raise CuratedDataError(f"{where}: source without an http(s) URL: {source}")
        parse_date(source.get("accessed"), f"{where}: source accessed")
    return sources


def check_research_claims(record, values, where):
    """Every claim supported by a read source; where something is not known (the council's
    role, or any local partnership), the searches that were made, which the page shows. A
    summary that only reports those searches needs no source, and says so."""
    if values["council_role"] not in LAResearch.CouncilRole.values:
        raise CuratedDataError(
            f"{where}: council_role {values['council_role']!r} is not one of "
            f"{LAResearch.CouncilRole.values}"
        )
    if values["none_found_on"] and values["none_found_on"] > datetime.date.today():
        raise CuratedDataError(f"{where}: none_found_on is in the future")
    searches = values["searches"]
    if not isinstance(searches, list) or not all(isinstance(s, str) and s for s in searches):
        raise CuratedDataError(f"{where}: searches must be a list of the queries made")
    unknown_role = values["summary"] and values["council_role"] == LAResearch.CouncilRole.UNKNOWN
    if (unknown_role or values["none_found_on"]) and not searches:
        raise CuratedDataError(
            f"{where}: say which searches were made (searches), since "
            + ("nothing was found" if values["none_found_on"] else "the council's role is unknown")
        )
    if record.get("summary_is_search_report") and not searches:
        raise CuratedDataError(f"{where}: a summary reporting searches needs the searches")
    exempt = ("summary",) if record.get("summary_is_search_report") else ()
    try:
        require_support(values, RESEARCH_CLAIMS, values["sources"], where, exempt=exempt)
    except ProvenanceError as error:
        raise CuratedDataError(str(error)) from None


def read_research(path):
    """{ons_code: values} for every record, validated; raises CuratedDataError."""
    current = {la.ons_code: la for la in LocalAuthority.objects.current()}
    prepared = {}
    for index, record in enumerate(read_json_list(path), start=1):
        code = record.get("ons_code")
        where = f"research record {index} ({code or 'no ons_code'})"
        if code not in current:
            raise CuratedDataError(f"{where}: no current local authority has the code {code!r}")
        if code in prepared:
            raise CuratedDataError(f"{where}: a second record for {code}")
        values = {
            "summary": record.get("summary", ""),
            "council_role": record.get("council_role") or LAResearch.CouncilRole.UNKNOWN,
            "council_role_detail": record.get("council_role_detail", ""),
            "la_functions": record.get("la_functions", ""),
            "none_found_on": parse_date(record.get("none_found_on"), f"{where}: none_found_on"),
            "searches": record.get("searches", []),
            "last_verified": parse_date(record.get("last_verified"), f"{where}: last_verified"),
            "sources": validated_sources(record.get("sources", []), where),
        }
        check_research_claims(record, values, where)
        prepared[code] = (current[code], values, record_hash(record))
    for code, authority in current.items():
        if code not in prepared:
            blank = {"ons_code": code}
            values = {"summary": "", "la_functions": "", "none_found_on": None, "searches": []}
            prepared[code] = (
                authority,
                {
                    **values,
                    "council_role": LAResearch.CouncilRole.UNKNOWN,
                    "council_role_detail": "",
                    "last_verified": None,
                    "sources": [],
                },
                record_hash(blank),
            )
    return prepared


@transaction.atomic
def load_la_research(path=RESEARCH_FILE):
    report = ResearchLoadReport()
    existing = {
        research.local_authority_id: research
        for research in LAResearch.objects.select_related("local_authority")
    }
    for code, (authority, values, digest) in sorted(read_research(path).items()):
        research = existing.get(authority.pk)
        if research and research.curated_hash == digest:
            report.unchanged.append(code)
            continue
        if research and edited_by_a_person(research):
            report.kept_human_edits.append(code)
            continue
        created = research is None
        research = research or LAResearch(local_authority=authority)
        with recording(research, ChangeLogEntry.Origin.CURATED):
            for name, value in values.items():
                setattr(research, name, value)
            research.curated_hash = digest
            research._change_reason = CHANGE_REASON
            research.save()
        (report.created if created else report.updated).append(code)
    return report
