"""The meetings' public pages in /sitemap.xml (core.sitemaps)."""

from django.contrib.sitemaps import Sitemap

from core.sitemaps import NamedPagesSitemap, sitemap_register
from meetings.selectors import public_agendas


class MeetingListSitemap(NamedPagesSitemap):
    names = ("meetings:list",)


class PublicAgendaSitemap(Sitemap):
    """Meetings whose agenda is published (forums with a public agenda, once sent)."""

    changefreq = "weekly"

    def items(self):
        return public_agendas()


sitemap_register("meeting-list", MeetingListSitemap)
sitemap_register("agendas", PublicAgendaSitemap)
