"""Build a benchmark input in the exact format of a GIAS `edubasealldata` extract, from real rows.

No full GIAS extract is available offline (see ../shared/data/README.md), so this
script assembles one from real published data, in GIAS's exact header (the column list
of `tests/fixtures/gias/edubasealldata20251124.csv`), Windows-1252 with CRLF lines:

1. **Open establishments**: every school of the DfE school census, January 2023
   (`schools/schools_england_spc2023_codepoint.csv.gz`, 24,442 rows): URN, LA code and
   name, establishment number, name, type, phase, sex, religious character, urban/rural,
   postcode, Easting/Northing (the postcode's centroid, OS Code-Point Open), pupils; the
   type group comes from GIAS's own type taxonomy
   (`gias/establishment_types_20250422.csv`), `PercentageFSM` from the census FSM file
   (`schools/school_fsm_spc_2022_23.csv`). Cumbria keeps its former code 909, so the
   importer must place those schools by location, as with a real extract.
2. **Closed establishments**: every URN of the GIAS links file
   (`fixtures/gias/links_edubasealldata_20250727.csv`) that the census lacks, with the
   name the links file gives it, status Closed, close date the link's date, and the LA
   and location of the census school it leads to (through up to 4 links): a predecessor
   of an academy is, almost always, the same school on the same site.
3. Trust UIDs are not published in either source (the census gives trust names only):
   each distinct trust name gets a number from 10000 up. Benchmark input only.
4. Up to the size asked for (50,000 by default, the size of a real daily extract), the
   open rows are repeated with URNs from 900000 up (no real URN is that high), so the
   importer does the work of a full extract. The script prints how many rows are real.

It is benchmark input, never product data: nothing in the product reads it.

    .venv/bin/python benchmarks/gias_extract.py /tmp/edubasealldata20251124.csv [50000]
"""

import csv
import gzip
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"  # beside the checkout (a benchmark, not the product)
CENSUS = SHARED / "schools" / "schools_england_spc2023_codepoint.csv.gz"
FSM = SHARED / "schools" / "school_fsm_spc_2022_23.csv"
TYPES = ROOT / "fixtures" / "gias" / "establishment_types_20250422.csv"
LINKS = ROOT / "fixtures" / "gias" / "links_edubasealldata_20250727.csv"
HEADER_FROM = ROOT / "tests" / "fixtures" / "gias" / "edubasealldata20251124.csv"
PHASES = {
    "State-funded primary": ("2", "Primary"),
    "State-funded secondary": ("4", "Secondary"),
    "State-funded nursery": ("1", "Nursery"),
}
NOT_APPLICABLE_PHASE = ("0", "Not applicable")
SYNTHETIC_URN_START = 900_000
CENSUS_DATE = "19-01-2023"


def gias_header():
    with open(HEADER_FROM, newline="", encoding="cp1252") as handle:
        return next(csv.reader(handle))


def type_groups():
    groups = {}
    with open(TYPES, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            groups[row["type-of-establishment-name"].lower()] = (
                row["type-of-establishment-code"],
                row["establishment-type-group-code"],
                row["establishment-type-group-name"],
            )
    return groups


def census_rows():
    with gzip.open(CENSUS, "rt", encoding="utf-8", newline="") as handle:
        return {row["urn"]: row for row in csv.DictReader(handle)}


def fsm_shares():
    with open(FSM, newline="", encoding="utf-8") as handle:
        return {
            row["urn"]: row["fsm_prop"]
            for row in csv.DictReader(handle)
            if row["fsm_prop"] not in ("z", "c", "x", "")
        }


def trust_numbers(census):
    names = sorted({row["trust_name"] for row in census.values() if row["trust_name"]})
    schools = defaultdict(int)
    for row in census.values():
        if row["trust_name"]:
            schools[row["trust_name"]] += 1
    return {name: (str(10000 + index), schools[name]) for index, name in enumerate(names)}


def open_row(census_row, groups, fsm, trusts):
    type_code, group_code, group_name = groups.get(
        census_row["typeofestablishment_name"].lower(), ("", "", "")
    )
    phase_code, phase = PHASES.get(census_row["phase_type_grouping"], NOT_APPLICABLE_PHASE)
    row = {
        "URN": census_row["urn"],
        "LA (code)": census_row["la_code"],
        "LA (name)": census_row["la_name"],
        "EstablishmentNumber": census_row["estab"],
        "EstablishmentName": census_row["school_name"],
        "TypeOfEstablishment (code)": type_code,
        "TypeOfEstablishment (name)": census_row["typeofestablishment_name"],
        "EstablishmentTypeGroup (code)": group_code,
        "EstablishmentTypeGroup (name)": group_name,
        "EstablishmentStatus (code)": "1",
        "EstablishmentStatus (name)": "Open",
        "PhaseOfEducation (code)": phase_code,
        "PhaseOfEducation (name)": phase,
        "Gender (name)": census_row["sex_of_school_description"],
        "ReligiousCharacter (name)": census_row["denomination"],
        "AdmissionsPolicy (name)": census_row["admissions_policy"],
        "NumberOfPupils": census_row["pupils_headcount"],
        "PercentageFSM": fsm.get(census_row["urn"], ""),
        "UrbanRural (name)": census_row["urban_rural"],
        "GSSLACode (name)": census_row["la_gss"],
        "GOR (name)": census_row["region_name"],
        "Postcode": census_row["school_postcode"],
        "Easting": census_row["easting"],
        "Northing": census_row["northing"],
        "CensusDate": CENSUS_DATE,
        "LastChangedDate": CENSUS_DATE,
        "Country (name)": "United Kingdom",
    }
    trust = census_row["trust_name"]
    if trust:
        code, size = trusts[trust]
        row["Trusts (code)"], row["Trusts (name)"] = code, trust
        row["TrustSchoolFlag (name)"] = (
            "Supported by a trust"
            if census_row["academy_flag"] != "Academy"
            else "Supported by a multi-academy trust"
            if size > 1
            else "Supported by a single-academy trust"
        )
    return row


def closed_rows(census, opened):
    """URNs of the links file that the census lacks, placed through their linked schools."""
    names, closed_on, neighbours = {}, {}, defaultdict(set)
    with open(LINKS, newline="", encoding="cp1252") as handle:
        for link in csv.DictReader(handle):
            urn, other = link["URN"], link["LinkURN"]
            neighbours[urn].add(other)
            neighbours[other].add(urn)
            names.setdefault(other, link["LinkName"])
            if link["LinkType"].startswith("Predecessor"):
                closed_on.setdefault(other, link["LinkEstablishedDate"])
            if link["LinkType"].startswith("Successor"):
                closed_on.setdefault(urn, link["LinkEstablishedDate"])
    rows = []
    for urn in sorted(set(neighbours) - set(census), key=int):
        if not names.get(urn):
            continue
        frontier, seen, place = {urn}, {urn}, None
        for _ in range(4):
            found = sorted((u for u in frontier if u in census), key=int)
            if found:
                place = opened[found[0]]
                break
            frontier = {n for u in frontier for n in neighbours[u]} - seen
            seen |= frontier
        if place is None:
            continue
        row = {key: place[key] for key in ("LA (code)", "LA (name)", "GSSLACode (name)")}
        row.update(
            {
                "URN": urn,
                "EstablishmentName": names[urn],
                "TypeOfEstablishment (name)": place["TypeOfEstablishment (name)"],
                "TypeOfEstablishment (code)": place["TypeOfEstablishment (code)"],
                "EstablishmentTypeGroup (code)": place["EstablishmentTypeGroup (code)"],
                "EstablishmentTypeGroup (name)": place["EstablishmentTypeGroup (name)"],
                "EstablishmentStatus (code)": "2",
                "EstablishmentStatus (name)": "Closed",
                "CloseDate": closed_on.get(urn, ""),
                "PhaseOfEducation (code)": place["PhaseOfEducation (code)"],
                "PhaseOfEducation (name)": place["PhaseOfEducation (name)"],
                "Postcode": place["Postcode"],
                "Easting": place["Easting"],
                "Northing": place["Northing"],
                "LastChangedDate": closed_on.get(urn, ""),
                "Country (name)": "United Kingdom",
            }
        )
        rows.append(row)
    return rows


def build(path, size=50_000):
    """Write the extract; returns (rows written, rows with a real URN)."""
    census = census_rows()
    groups, fsm, trusts = type_groups(), fsm_shares(), trust_numbers(census)
    opened = {urn: open_row(row, groups, fsm, trusts) for urn, row in census.items()}
    real = list(opened.values()) + closed_rows(census, opened)
    rows = real[:size]
    templates = list(opened.values())
    for index in range(size - len(rows)):
        rows.append({**templates[index % len(templates)], "URN": str(SYNTHETIC_URN_START + index)})
    header = gias_header()
    with open(path, "w", newline="", encoding="cp1252", errors="replace") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows), min(len(real), size)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    written, real = build(target, int(sys.argv[2]) if len(sys.argv) > 2 else 50_000)
    print(f"{target}: {written} rows, {real} with real URNs, {written - real} repeated")
