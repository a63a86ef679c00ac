from django.core.management.base import BaseCommand

from search.services import search_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every app's search documents (core.search)."

    def handle(self, *args, **options) -> None:
        count = search_rebuild()
        self.stdout.write(f"{count} search documents indexed.")
