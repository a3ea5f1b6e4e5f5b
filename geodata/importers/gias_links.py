"""Import GIAS establishment links (`links_edubasealldata`): predecessors and successors.

When a school converts to an academy or merges it gets a new URN; these links let its
history be followed. The links file is complete each day, so an import replaces the
stored links in one transaction, and is skipped when the file has not changed.
"""

from django.db import transaction
from django.utils import timezone

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
MAX_RECORDED_ERRORS = 50


def import_links_file(path, *, location=None, triggered_by="", progress=None):
    location = str(location or path)
    run = ImportRun.objects.create(
        source=ImportRun.Source.GIAS_LINKS,
        location=location,
        extract_date=extract_date_from_name(location),
        triggered_by=triggered_by,
    )
    try:
        run.checksum = file_checksum(path)
        last = (
            ImportRun.objects.filter(
                source=ImportRun.Source.GIAS_LINKS, status=ImportRun.Status.SUCCEEDED
            )
            .exclude(pk=run.pk)
            .order_by("-started_at")
            .first()
        )
        if last and last.checksum == run.checksum:
            run.status = ImportRun.Status.SUCCEEDED
            run.rows_read = run.unchanged = last.rows_read
            run.message = "Same file as the last import: nothing to change."
        else:
            links = {}
            for line, row in read_rows(path, REQUIRED_COLUMNS, progress):
                run.rows_read += 1
                try:
                    link = SchoolLink(
                        urn=int(row["URN"]),
                        linked_urn=int(row["LinkURN"]),
                        linked_name=row["LinkName"].strip(),
                        link_type=row["LinkType"].strip(),
                        established=parse_date(row["LinkEstablishedDate"]),
                    )
                except ValueError as error:
                    run.rejected += 1
                    if len(run.errors) < MAX_RECORDED_ERRORS:
                        run.errors.append({"line": line, "urn": row["URN"], "error": str(error)})
                    continue
                links[(link.urn, link.linked_urn, link.link_type)] = link
            with transaction.atomic():
                previous = SchoolLink.objects.count()
                SchoolLink.objects.all().delete()
                SchoolLink.objects.bulk_create(links.values(), batch_size=5000)
            run.created = len(links)
            run.status = ImportRun.Status.SUCCEEDED
            run.message = (
                f"{run.rows_read} rows: {len(links)} links stored (replacing {previous}), "
                f"{run.rejected} rejected"
            )
    except RegisterFileError as error:
        run.status = ImportRun.Status.REFUSED
        run.message = f"Refused, nothing changed: {error}"
    run.finished_at = timezone.now()
    run.save()
    if run.status == ImportRun.Status.SUCCEEDED:
        register_imported.send(sender=import_links_file, run=run)
    return run
