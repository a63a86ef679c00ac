"""The framework agreement and its versions, published sub-agreements and the initiative
register in /sitemap.xml (core.sitemaps)."""

from django.urls import reverse

from agreements import selectors
from core.sitemaps import PathsSitemap, sitemap_register


class AgreementPagesSitemap(PathsSitemap):
    def items(self) -> list[str]:
        return [
            reverse("agreements:current"),
            reverse("agreements:subs"),
            reverse("agreements:initiatives"),
            *(a.get_absolute_url() for a in selectors.public_agreements()),
            *(v.get_absolute_url() for v in selectors.public_agreement_versions()),
            *(s.get_absolute_url() for s in selectors.public_sub_agreements()),
            *(i.get_absolute_url() for i in selectors.public_initiatives()),
        ]


sitemap_register("agreements", AgreementPagesSitemap)
