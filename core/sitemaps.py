"""Every public page, for /sitemap.xml. Later features add their public pages here."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from forums.models import Forum


class StaticPagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return ["core:home", "forums:list", "meetings:list", "core:accessibility"]

    def location(self, item: str) -> str:
        return reverse(item)


class ForumSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Forum.objects.order_by("position")


class PublicAgendaSitemap(Sitemap):
    """Meetings whose agenda is published (forums with a public agenda, once sent)."""

    changefreq = "weekly"

    def items(self):
        from meetings.models import Meeting

        return (
            Meeting.objects.filter(forum__agenda_public=True, versions__isnull=False)
            .exclude(status=Meeting.Status.CANCELLED)
            .distinct()
            .order_by("starts_at")
        )


class PublicMinutesSitemap(Sitemap):
    """Approved minutes of forums whose approved minutes are public."""

    changefreq = "monthly"

    def items(self):
        from minutes.models import Minutes

        return (
            Minutes.objects.filter(
                meeting__forum__approved_minutes_public=True, status=Minutes.Status.APPROVED
            )
            .select_related("meeting")
            .order_by("meeting__starts_at")
        )

    def location(self, minutes) -> str:
        return reverse("minutes:public", args=[minutes.meeting_id])


class AgreementPagesSitemap(Sitemap):
    """The framework agreement and its versions, published sub-agreements, initiatives."""

    changefreq = "monthly"

    def items(self) -> list[str]:
        from agreements.models import AgreementVersion, FrameworkAgreement, Initiative, SubAgreement

        public = ["in_force", "expired", "replaced"]
        return [
            reverse("agreements:current"),
            reverse("agreements:subs"),
            reverse("agreements:initiatives"),
            *(a.get_absolute_url() for a in FrameworkAgreement.objects.filter(status__in=public)),
            *(
                v.get_absolute_url()
                for v in AgreementVersion.objects.filter(agreement__status__in=public)
            ),
            *(s.get_absolute_url() for s in SubAgreement.objects.filter(is_published=True)),
            *(i.get_absolute_url() for i in Initiative.objects.all()),
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
