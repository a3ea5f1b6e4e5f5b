"""Atom feeds of the public change log (`partnerships.changelog`): everything, and per
area, partnership and trust. Each entry says what changed and where it shows, never who
changed it; only published records are told of. Kept per data version like the pages, so
a feed moves when an approval does."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from geodata.models import LocalAuthority, Trust
from partnerships.changelog import (
    changes_in_area,
    changes_of_partnership,
    changes_of_trust,
    public_change_log,
    record_name,
    record_url,
    summary_of,
)
from partnerships.models import ChangeLogEntry, Partnership

FEED_LENGTH = 50


class ChangesFeed(Feed):
    """Every approved change across England, newest first."""

    feed_type = Atom1Feed
    author_name = "England's education partnerships map"

    def title(self, obj):
        return "Changes to England's education partnerships map"

    def subtitle(self, obj):
        return "Approved changes to partnerships and LA research records, newest first."

    def link(self, obj):
        return reverse("changes")

    def entries(self, obj):
        return public_change_log()

    def items(self, obj):
        return self.entries(obj)[:FEED_LENGTH]

    def item_title(self, item):
        return f"{record_name(item)}: {summary_of(item)}"

    def item_description(self, item):
        origin = ChangeLogEntry.Origin(item.origin).label
        return f"{summary_of(item)} ({origin}, {item.changed_at:%-d %B %Y})."

    def item_link(self, item):
        return record_url(item)

    def item_pubdate(self, item):
        return item.changed_at

    def item_updateddate(self, item):
        return item.changed_at


class AreaChangesFeed(ChangesFeed):
    def get_object(self, request, code):
        area = LocalAuthority.objects.current().filter(ons_code=code).first()
        if area is None:
            raise Http404(f"No current local authority has the code {code}.")
        return area

    def title(self, obj):
        return f"Changes in {obj.name}: England's education partnerships map"

    def subtitle(self, obj):
        return (
            f"Approved changes to the partnerships working in {obj.name} and its research record."
        )

    def link(self, obj):
        return reverse("area", args=[obj.ons_code])

    def entries(self, obj):
        return changes_in_area(public_change_log(), obj)


class PartnershipChangesFeed(ChangesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Partnership.objects.published(), slug=slug)

    def title(self, obj):
        return f"Changes to {obj.name}: England's education partnerships map"

    def subtitle(self, obj):
        return f"Approved changes to {obj.name}'s record."

    def link(self, obj):
        return obj.get_absolute_url()

    def entries(self, obj):
        return changes_of_partnership(public_change_log(), obj)


class TrustChangesFeed(ChangesFeed):
    def get_object(self, request, uid):
        return get_object_or_404(Trust.objects.current(), uid=uid)

    def title(self, obj):
        return f"Changes for {obj.name}: England's education partnerships map"

    def subtitle(self, obj):
        return f"Approved changes to the partnerships that name {obj.name} as a member."

    def link(self, obj):
        return reverse("trust", args=[obj.uid])

    def entries(self, obj):
        return changes_of_trust(public_change_log(), obj)
