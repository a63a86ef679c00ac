"""Pages of the API's lists."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """`?page=N` (1-based), settings.API_PAGE_SIZE (50) results a page; the answer is
    {"count", "next", "previous", "results"} with absolute next/previous URLs or null. A
    page past the end answers 404."""

    page_size = settings.API_PAGE_SIZE
