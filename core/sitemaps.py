"""Every public page, for /sitemap.xml. Later features add their public pages here."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from forums.models import Forum


class StaticPagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return ["core:home", "forums:list", "core:accessibility"]

    def location(self, item: str) -> str:
        return reverse(item)


class ForumSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Forum.objects.order_by("position")


SITEMAPS = {"pages": StaticPagesSitemap, "forums": ForumSitemap}
