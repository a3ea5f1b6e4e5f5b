"""The map's search box: places (areas by name or code, former authorities leading to
their successors, postcodes leading to their area), schools and trusts.

Each result is {kind, label, url, la}: `kind` is area, postcode, school or trust; `url`
is the page to open; `la` the ONS code of the area to show on the map (null for trusts,
which span areas). Postcode results add `postcode` and `note` (why a postcode our data
lacks leads to an area: its sector). Area results also carry `code` (= `la`), which
today's map.js reads to select the area in place. A search that finds nothing says so in `message`.
"""

import re

from django.db.models import Q
from django.urls import reverse

from geodata.models import LocalAuthority, LocalAuthorityCodeAlias, School, Trust
from geodata.postcodes import PostcodeNotFound, normalise_postcode, place_postcode

MIN_LENGTH = 3
MAX_LENGTH = 100
MAX_AREAS = 8
MAX_SCHOOLS = 8
MAX_TRUSTS = 5
CODE = re.compile(r"^(\d{3}|[EWSN]\d{8})$", re.IGNORECASE)


def area_result(authority, label=None):
    return {
        "kind": "area",
        "label": label or f"{authority.name} ({authority.get_la_type_display()})",
        "url": reverse("area", kwargs={"code": authority.ons_code}),
        "la": authority.ons_code,
        "code": authority.ons_code,
    }


def former_names(note):
    """The former authority names an alias note gives: 'predecessor (909 (Cumbria, to
    2023))' -> ['Cumbria']; 'Poole, to 31/03/2019' -> ['Poole']."""
    inner = re.findall(r"\(([^()]*)\)", note) or [note]
    names = []
    for part in inner:
        part = re.sub(r",\s*to\s+[\d/]+\s*$", "", part).strip()
        if part == note and ", to " not in note:
            continue
        names += [name.strip() for name in part.split(";") if name.strip()]
    return names


def areas_by_code(query):
    if not CODE.match(query):
        return []
    code = query.upper()
    results = []
    for authority in LocalAuthority.objects.current().resolve(code).order_by("name"):
        if code in (authority.ons_code, authority.dfe_code):
            results.append(area_result(authority))
        else:
            label = f"{authority.name}: successor of former code {code}"
            results.append(area_result(authority, label))
    return results


def areas_by_name(query):
    current = LocalAuthority.objects.current()
    results = [area_result(la) for la in current.filter(name__icontains=query).order_by("name")]
    aliases = (
        LocalAuthorityCodeAlias.objects.filter(
            local_authority__is_current=True, note__icontains=query
        )
        .select_related("local_authority")
        .order_by("local_authority__name")
    )
    for alias in aliases:
        for name in former_names(alias.note):
            if query.casefold() in name.casefold() and name != alias.local_authority.name:
                authority = alias.local_authority
                label = f"{name} (former authority): now {authority.name}"
                results.append(area_result(authority, label))
    return results


def schools_matching(query):
    schools = School.objects.open().select_related("local_authority")
    if query.isascii() and query.isdigit():
        schools = schools.filter(urn=int(query))
    else:
        schools = schools.filter(Q(name__icontains=query) | Q(postcode__istartswith=query))
    return [
        {
            "kind": "school",
            "label": f"{school.name} (URN {school.urn}, "
            f"{school.postcode or school.local_authority.name})",
            "url": reverse("school", kwargs={"urn": school.urn}),
            "la": school.local_authority.ons_code,
        }
        for school in schools.order_by("name")[:MAX_SCHOOLS]
    ]


def trusts_matching(query):
    trusts = Trust.objects.current()
    trusts = (
        trusts.filter(uid=int(query))
        if query.isascii() and query.isdigit()
        else trusts.filter(name__icontains=query)
    )
    return [
        {
            "kind": "trust",
            "label": f"{trust.name} (trust {trust.gias_uid})"
            if trust.gias_uid
            else f"{trust.name} (trust)",
            "url": reverse("trust", kwargs={"uid": trust.uid}),
            "la": None,
        }
        for trust in trusts.order_by("name")[:MAX_TRUSTS]
    ]


def postcode_results(query):
    """([result], message) for a query that looks like a postcode. A postcode our data
    lacks leads to its sector's LA (or lists the LAs its sector spans), saying so in
    each result's `note`; `postcode` is the postcode as written for the reader."""
    try:
        placed = place_postcode(query)
    except PostcodeNotFound as error:
        return [], str(error)
    shown = placed.postcode
    if placed.match == "postcode":
        authority = placed.local_authority
        ended = f" (terminated {placed.terminated:%B %Y})" if placed.terminated else ""
        labelled = [(authority, f"{shown}{ended}: {authority.name}")]
    elif placed.local_authority:
        authority = placed.local_authority
        labelled = [(authority, f"{shown}: {authority.name} (all of {placed.sector} is there)")]
    else:
        labelled = [
            (authority, f"{shown}: {authority.name} (part of {placed.sector} is there)")
            for authority in placed.sector_authorities
        ]
    results = []
    for authority, label in labelled:
        result = area_result(authority, label)
        result["kind"] = "postcode"
        del result["code"]
        results.append({**result, "postcode": shown, "note": placed.note})
    return results, None


def unique(results):
    seen, kept = set(), []
    for result in results:
        key = (result["kind"], result["url"], result["label"])
        if key not in seen:
            seen.add(key)
            kept.append(result)
    return kept


def search(query):
    """{"q", "results", "message"} for the search box; message is None when found."""
    query = " ".join(query.split())
    if len(query) < MIN_LENGTH:
        return {"q": query, "results": [], "message": f"Type at least {MIN_LENGTH} characters."}
    try:
        normalise_postcode(query)
    except ValueError:
        pass
    else:
        results, message = postcode_results(query)
        return {"q": query, "results": results, "message": message}
    results = unique(
        [
            *areas_by_code(query),
            *areas_by_name(query)[:MAX_AREAS],
            *schools_matching(query),
            *trusts_matching(query),
        ]
    )
    message = (
        None if results else f"Nothing found for “{query}”: try a place, postcode, school or trust."
    )
    return {"q": query, "results": results, "message": message}
