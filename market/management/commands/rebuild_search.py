from django.core.management.base import BaseCommand

from market.search.index import rebuild


class Command(BaseCommand):
    help = "Re-index every product for search (Chinese words and pinyin); saves keep it current after that."

    def handle(self, **options):
        count = rebuild()
        self.stdout.write(f"{count} products indexed")
