"""The public approved minutes in /sitemap.xml (core.sitemaps)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from core.sitemaps import sitemap_register
from minutes.selectors import public_minutes


class PublicMinutesSitemap(Sitemap):
    """Approved minutes of forums whose approved minutes are public."""

    changefreq = "monthly"

    def items(self):
        return public_minutes()

    def location(self, minutes) -> str:
        return reverse("minutes:public", args=[minutes.meeting_id])


sitemap_register("minutes", PublicMinutesSitemap)
