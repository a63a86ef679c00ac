"""/sitemap.xml as a registry. Each app lists its own public pages in its `sitemaps.py`,
drawn from that app's public selectors (the ones its pages use, so the sitemap lists
nothing a page would hide) and added with `sitemap_register`; `CoreConfig.ready()`
imports every app's `sitemaps.py`, as Django's admin discovers `admin.py`. So core
imports no app, and an app removed takes its sitemap section with it."""

from django.contrib.sitemaps import Sitemap
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

# section name -> Sitemap class; passed to django.contrib.sitemaps.views.sitemap.
SITEMAPS: dict[str, type[Sitemap]] = {}


def sitemap_register(name: str, sitemap: type[Sitemap]) -> type[Sitemap]:
    """Add `sitemap` (a django.contrib.sitemaps.Sitemap subclass whose items are public
    objects or URLs) as the section `name`. Raises ImproperlyConfigured if two apps
    claim the same name."""
    if SITEMAPS.get(name, sitemap) is not sitemap:
        raise ImproperlyConfigured(f"Two sitemap sections are called {name!r}.")
    SITEMAPS[name] = sitemap
    return sitemap


class NamedPagesSitemap(Sitemap):
    """Pages that show no single object: `names` are URL names without arguments."""

    changefreq = "monthly"
    names: tuple[str, ...] = ()

    def items(self) -> list[str]:
        return list(self.names)

    def location(self, item: str) -> str:
        return reverse(item)


class PathsSitemap(Sitemap):
    """A section whose items are site paths (str) already."""

    changefreq = "monthly"

    def location(self, item: str) -> str:
        return item


class CorePagesSitemap(NamedPagesSitemap):
    names = ("core:home", "core:accessibility")


sitemap_register("pages", CorePagesSitemap)
