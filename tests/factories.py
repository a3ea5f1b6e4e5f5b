"""Test data shared by several test modules: samples of the bundled files, real records as
the research notes describe them, and what a browser posts to the suggestion form."""

from pathlib import Path

from partnerships.models import partnership_values, research_values

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Real rows of the bundled census file: all of Camden, the GIAS sample's URNs, some of
# Cumbria (909) and one trust spanning two LAs.
CENSUS_SAMPLE = FIXTURES / "schools" / "census_sample.csv"
# Real rows of the bundled postcode file.
POSTCODE_SAMPLE = FIXTURES / "postcodes" / "codepoint_sample.csv"

# Two real partnerships as the research notes describe them (sources as cited there).
LEARN_SHEFFIELD = {
    "slug": "learn-sheffield",
    "name": "Learn Sheffield",
    "also_known_as": [],
    "summary": "A school company owned about 80% by Sheffield schools and 20% by the city council.",
    "website": "https://www.learnsheffield.co.uk",
    "status": "active",
    "evidence_year": 2025,
    "last_verified": "2026-11-25",
    "kind": "partnership",
    "la_role": "schools_and_la",
    "la_role_note": "",
    "scope": "one_la",
    "local_authorities": ["E08000039"],
    "reach": "members_only",
    "founded_year": 2015,
    "legal_form": "school_company",
    "legal_form_detail": "company limited by guarantee without share capital, no. 09734238",
    "funding_models": ["subscriptions", "la_commission"],
    "governance": ["board"],
    "focus_areas": ["school_improvement"],
    "phases": [],
    "members": [
        {
            "kind": "local_authority",
            "name": "Sheffield City Council",
            "identifier": "E08000019",
            "organisation_type": "",
            "role": "owner (about 20%)",
        }
    ],
    "declared_member_count": 184,
    "declared_member_count_note": "184 members (Tes, 24 Nov 2025)",
    "evidence": "high",
    "unverified_notes": "",
    "sources": [
        {
            "url": "https://www.tes.com/magazine/analysis/general/what-are-area-based-education-partnerships",
            "title": "Tes: What are area-based education partnerships?",
            "accessed": "2026-11-25",
            "checked": True,
            "published": "2025-11-24",
            "says": "Learn Sheffield is a school company owned by schools and the council.",
            # Test data: this one source stands for the several a real record cites.
            "supports": [
                "name",
                "summary",
                "website",
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
                "members",
                "declared_member_count",
            ],
        }
    ],
}
CASL = {
    **LEARN_SHEFFIELD,
    "slug": "cumbria-alliance-of-system-leaders",
    "name": "Cumbria Alliance of System Leaders",
    "also_known_as": ["CASL"],
    "summary": "An alliance of Cumbria's system leaders with three local alliances.",
    "website": "",
    "status": "unknown",
    "evidence_year": 2019,
    "scope": "several_las",
    "local_authorities": ["E10000006"],
    "legal_form": "unincorporated_board",
    "legal_form_detail": "unincorporated alliance",
    "members": [],
    "declared_member_count": None,
    "declared_member_count_note": "",
    "evidence": "high",
    "unverified_notes": "Whether it still operates after 2023 is not verified.",
    "sources": [
        {
            "url": "http://www.cumbriaalliance.org.uk/about-us/",
            "title": "CASL: about us",
            "accessed": "2026-11-25",
            "checked": True,
            "says": "",
            "supports": [
                "name",
                "also_known_as",
                "summary",
                "evidence_year",
                "founded_year",
                "la_role",
                "legal_form",
                "funding_models",
                "governance",
                "focus_areas",
            ],
            "infers": ["kind", "local_authorities", "reach"],
        },
        {
            "url": "http://www.cumbriaalliance.org.uk/news/",
            "title": "CASL: news (not read)",
            "accessed": None,
            "checked": False,
            "says": "",
            "supports": ["website"],
        },
    ],
}


SUBMITTER = {
    "submitter_name": "Alex Example",
    "submitter_email": "alex@example.org",
    "submitter_organisation": "Submitter Organisation Q7",
    "submitter_role": "Submitter Role Q7",
    "consent_to_contact": "on",
}
NEW = {
    "name": "Rutland Schools Partnership",
    "summary": "A proposed partnership (test data).",
    "scope": "one_la",
    "local_authorities": ["E06000017"],
    "focus_areas": ["school_improvement", "attendance"],
    "evidence_urls": "https://example.org/evidence",
    **SUBMITTER,
}


def amendment(partnership, **changes):
    """The amendment form as a browser would post it: today's values, then the changes."""
    data = {
        key: value
        for key, value in partnership_values(partnership).items()
        if value not in (None, "")
    }
    data.update(action="amendment", **SUBMITTER)
    data.update(changes)
    return data


def research_amendment(research, **changes):
    """The LA research form as a browser would post it: today's values, then the changes."""
    data = {key: value for key, value in research_values(research).items() if value}
    data.update(SUBMITTER)
    data.update(changes)
    return data


def not_researched_without_partnership():
    """The first LA (by name) with no published local partnership and no research written."""
    from partnerships.models import LAResearch

    record = (
        LAResearch.objects.with_status()
        .filter(has_local_partnership=False, none_found_on__isnull=True, summary="")
        .select_related("local_authority")
        .order_by("local_authority__name")
        .first()
    )
    assert record.status == LAResearch.Status.NOT_RESEARCHED
    return record.local_authority
