"""The public pool summaries in /sitemap.xml (core.sitemaps)."""

from django.urls import reverse

from core.sitemaps import PathsSitemap, sitemap_register
from pools import selectors


class PoolPagesSitemap(PathsSitemap):
    def items(self) -> list[str]:
        return [
            reverse("pools:list"),
            *(pool.get_absolute_url() for pool in selectors.public_pools_qs()),
        ]


sitemap_register("pools", PoolPagesSitemap)
