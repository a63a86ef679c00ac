"""/sitemap.xml is a registry: every app adds its public pages from its own sitemaps.py,
and two sections cannot share a name."""

import re

import pytest
from django.contrib.sitemaps import Sitemap
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from core.sitemaps import SITEMAPS, NamedPagesSitemap, sitemap_register


def test_each_app_registers_its_sitemap_section():
    assert {"pages", "forum-list", "forums", "meeting-list", "agendas", "minutes"} <= set(SITEMAPS)
    assert "agreements" in SITEMAPS


def test_two_sitemap_sections_cannot_share_a_name():
    class Other(Sitemap):
        pass

    with pytest.raises(ImproperlyConfigured):
        sitemap_register("forums", Other)
    assert SITEMAPS["forums"] is not Other
    sitemap_register("forums", SITEMAPS["forums"])  # the same class again is harmless


@pytest.mark.django_db
def test_the_sitemap_lists_the_pages_every_app_registered(forums, anonymous_client):
    response = anonymous_client.get(reverse("sitemap"))
    paths = {re.sub(r"^https?://[^/]+", "", u) for u in re.findall(r"<loc>([^<]+)", response.text)}
    assert {
        reverse("core:home"),
        reverse("core:accessibility"),
        reverse("forums:list"),
        reverse("meetings:list"),
        reverse("agreements:initiatives"),
        *(f.get_absolute_url() for f in forums.values()),
    } <= paths


def test_a_named_pages_section_gives_the_urls_of_its_names():
    class Pages(NamedPagesSitemap):
        names = ("core:home", "forums:list")

    section = Pages()
    assert [section.location(i) for i in section.items()] == ["/", reverse("forums:list")]
