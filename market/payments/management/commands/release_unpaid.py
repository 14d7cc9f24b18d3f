import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from market.payments import services


class Command(BaseCommand):
    help = ("The sweep: cancel online orders not paid in time, give back flash-sale units never checked out, "
            "end live sessions whose encoder did not come back within the grace.")

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="keep sweeping, every this many seconds")

    def handle(self, *args, every, **options):
        from live import claims, ingest

        while True:
            orders, units, ended = services.release_overdue(), claims.release_stale(), ingest.end_abandoned()
            if orders or units or ended or options["verbosity"] > 1:
                self.stdout.write(f"released {orders} unpaid orders, {units} unclaimed flash units; "
                                  f"ended {ended} abandoned live sessions")
            if not every:
                return
            time.sleep(every)
            close_old_connections()
