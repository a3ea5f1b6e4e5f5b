"""Import GIAS establishment links (`links_edubasealldata`): predecessors and successors.

When a school converts to an academy or merges it gets a new URN; these links let its
history be followed. The links file is complete each day, so an import makes the stored
links the file's in one transaction (deleting and inserting only what differs), and is
skipped when the file has not changed.
"""

from geodata.import_runs import MAX_KEY, applied, follow_up, readable, recorded_run, reject_row
from geodata.importers.register_files import (
    RegisterFileError,
    extract_date_from_name,
    file_checksum,
    parse_date,
    read_rows,
)
from geodata.models import ImportRun, SchoolLink
from geodata.signals import register_imported

REQUIRED_COLUMNS = ["URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate"]


def import_links_file(path, *, location=None, triggered_by="", progress=None, dry_run=False):
    """Replace the stored links with the file's; returns its ImportRun, recorded whatever
    happens. Only the links that differ are deleted or inserted."""
    location = str(location or path)

    def work(run):
        run.checksum = file_checksum(path)
        last = (
            ImportRun.objects.filter(
                source=ImportRun.Source.GIAS_LINKS, status=ImportRun.Status.SUCCEEDED
            )
            .order_by("-started_at")
            .first()
        )
        if last and last.checksum == run.checksum:
            run.rows_read = run.unchanged = last.rows_read
            run.message = "Same file as the last import: nothing to change."
            return
        links = {}
        for line, row in read_rows(path, REQUIRED_COLUMNS, progress):
            run.rows_read += 1
            try:
                urn, linked_urn = int(row["URN"]), int(row["LinkURN"])
                if not (0 < urn <= MAX_KEY and 0 < linked_urn <= MAX_KEY):
                    raise ValueError("URN out of range")
                link = (
                    urn,
                    linked_urn,
                    readable(row["LinkType"].strip(), 100),
                    readable(row["LinkName"].strip(), 255),
                    parse_date(row["LinkEstablishedDate"]),
                )
            except ValueError as error:
                reject_row(run, line, error, urn=row["URN"][:20])
                continue
            links[link[:3]] = link
        if not links:
            raise RegisterFileError("the file has no link that could be read")
        stored, ids = {}, {}
        for pk, *link in SchoolLink.objects.values_list(
            "pk", "urn", "linked_urn", "link_type", "linked_name", "established"
        ):
            stored[tuple(link[:3])] = tuple(link)
            ids[tuple(link[:3])] = pk
        gone = [key for key, link in stored.items() if links.get(key) != link]
        new = [link for key, link in links.items() if stored.get(key) != link]
        with applied(run):
            SchoolLink.objects.filter(pk__in=[ids[key] for key in gone]).delete()
            SchoolLink.objects.bulk_create(
                (
                    SchoolLink(
                        urn=urn,
                        linked_urn=linked,
                        link_type=kind,
                        linked_name=name,
                        established=established,
                    )
                    for urn, linked, kind, name, established in new
                ),
                batch_size=5000,
            )
            if gone or new:
                follow_up(run, register_imported)
        replaced = len(set(gone) & {link[:3] for link in new})
        run.created = len(new) - replaced
        run.updated = replaced
        run.unchanged = len(links) - len(new)
        removed = len(gone) - replaced
        run.message = (
            f"{run.rows_read} rows: {len(links)} links ({run.created} added, {run.updated} "
            f"changed, {removed} removed, {run.unchanged} unchanged), {run.rejected} rejected"
        )

    return recorded_run(
        ImportRun.Source.GIAS_LINKS,
        work,
        location=location,
        refusals=(RegisterFileError,),
        dry_run=dry_run,
        extract_date=extract_date_from_name(location),
        triggered_by=readable(triggered_by, 100),
    )
