"""``/sitemap.xml``: the careers list and every posting on the careers site."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from hiring.selectors.careers import postings_public


class CareersIndexSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> list[str]:
        return ["careers:index"]

    def location(self, item: str) -> str:
        return reverse(item)


class PostingSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return postings_public().only("id", "slug", "updated_at").order_by("-published_at", "-id")

    def location(self, item) -> str:
        return reverse("careers:posting", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"careers": CareersIndexSitemap, "postings": PostingSitemap}
