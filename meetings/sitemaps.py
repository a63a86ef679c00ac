"""The meetings' public pages in /sitemap.xml (core.sitemaps)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from core.sitemaps import NamedPagesSitemap, PathsSitemap, sitemap_register
from forums.models import Forum
from meetings.selectors import public_agendas, public_archive_years


class MeetingListSitemap(NamedPagesSitemap):
    names = ("meetings:list",)


class PublicAgendaSitemap(Sitemap):
    """Meetings whose agenda is published (forums with a public agenda, once sent)."""

    changefreq = "weekly"

    def items(self):
        return public_agendas()


sitemap_register("meeting-list", MeetingListSitemap)
sitemap_register("agendas", PublicAgendaSitemap)


class ArchiveSitemap(PathsSitemap):
    """Every year of the archive of past meetings, on /moeder/ and on each forum's page."""

    def items(self) -> list[str]:
        paths = [f"{reverse('meetings:list')}?arkiv={y}" for y in public_archive_years()]
        for forum in Forum.objects.order_by("pk"):
            page = reverse("forums:detail", args=[forum.slug])
            paths += [f"{page}?arkiv={y}" for y in public_archive_years(forum=forum)]
        return paths


sitemap_register("meeting-archive", ArchiveSitemap)


class YearWheelSitemap(PathsSitemap):
    """The public year wheel of last year, this year and next year."""

    def items(self) -> list[str]:
        year = timezone.localdate().year
        return [reverse("meetings:public_year_wheel", args=[y]) for y in (year - 1, year, year + 1)]


sitemap_register("year-wheel", YearWheelSitemap)
