import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from market.payments import services


class Command(BaseCommand):
    help = "Cancel online orders not paid in time and give back flash-sale units never checked out (the sweep)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="keep sweeping, every this many seconds")

    def handle(self, *args, every, **options):
        from live import claims

        while True:
            orders, units = services.release_overdue(), claims.release_stale()
            if orders or units or options["verbosity"] > 1:
                self.stdout.write(f"released {orders} unpaid orders, {units} unclaimed flash units")
            if not every:
                return
            time.sleep(every)
            close_old_connections()
