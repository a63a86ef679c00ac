"""The forums' public pages in /sitemap.xml (core.sitemaps)."""

from django.contrib.sitemaps import Sitemap

from core.sitemaps import NamedPagesSitemap, sitemap_register
from forums.selectors import forum_list


class ForumListSitemap(NamedPagesSitemap):
    names = ("forums:list",)


class ForumSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return forum_list()


sitemap_register("forum-list", ForumListSitemap)
sitemap_register("forums", ForumSitemap)
