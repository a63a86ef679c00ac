"""Every public page, for /sitemap.xml. Each section reads through its app's public
selectors (the same ones the pages use), so the sitemap lists nothing a page would hide."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return ["core:home", "forums:list", "meetings:list", "core:accessibility"]

    def location(self, item: str) -> str:
        return reverse(item)


class ForumSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        from forums.selectors import forum_list

        return forum_list()


class PublicAgendaSitemap(Sitemap):
    """Meetings whose agenda is published (forums with a public agenda, once sent)."""

    changefreq = "weekly"

    def items(self):
        from meetings.selectors import public_agendas

        return public_agendas()


class PublicMinutesSitemap(Sitemap):
    """Approved minutes of forums whose approved minutes are public."""

    changefreq = "monthly"

    def items(self):
        from minutes.selectors import public_minutes

        return public_minutes()

    def location(self, minutes) -> str:
        return reverse("minutes:public", args=[minutes.meeting_id])


class AgreementPagesSitemap(Sitemap):
    """The framework agreement and its versions, published sub-agreements, initiatives."""

    changefreq = "monthly"

    def items(self) -> list[str]:
        from agreements import selectors

        return [
            reverse("agreements:current"),
            reverse("agreements:subs"),
            reverse("agreements:initiatives"),
            *(a.get_absolute_url() for a in selectors.public_agreements()),
            *(v.get_absolute_url() for v in selectors.public_agreement_versions()),
            *(s.get_absolute_url() for s in selectors.public_sub_agreements()),
            *(i.get_absolute_url() for i in selectors.public_initiatives()),
        ]

    def location(self, item: str) -> str:
        return item


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "forums": ForumSitemap,
    "agendas": PublicAgendaSitemap,
    "minutes": PublicMinutesSitemap,
    "agreements": AgreementPagesSitemap,
}
