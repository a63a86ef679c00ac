from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from core.search import search_store_register
        from search.services import documents_replace

        # Every `core.search.search_index(root)` a service makes lands in SearchDocument.
        search_store_register(documents_replace)
