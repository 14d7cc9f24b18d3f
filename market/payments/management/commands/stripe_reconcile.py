"""
Orders whose payment state here disagrees with Stripe's, since a given time.

    manage.py stripe_reconcile --since 2d          list them
    manage.py stripe_reconcile --since 2d --fix    also fix the safe cases

Safe to fix: a session Stripe has paid that we never heard of (recorded as the
webhook would have, so amount checks and flags apply), and a session Stripe
has expired that we still hold open. Paid here but not at Stripe is only
reported: a person must look.
"""

import re
from datetime import timedelta

import stripe
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from market.payments import gateway, services
from market.payments.models import CheckoutAttempt

Status = CheckoutAttempt.Status


def since(value):
    match = re.fullmatch(r"(\d+)([dhm])", value.strip())
    if not match:
        raise CommandError("--since takes a number and d, h or m, e.g. 2d, 12h, 90m")
    unit = {"d": "days", "h": "hours", "m": "minutes"}[match.group(2)]
    return timezone.now() - timedelta(**{unit: int(match.group(1))})


class Command(BaseCommand):
    help = "List (and with --fix repair the safe cases of) orders whose payment state disagrees with Stripe's."

    def add_arguments(self, parser):
        parser.add_argument("--since", default="2d", help="how far back: 2d, 12h, 90m (default 2d)")
        parser.add_argument("--fix", action="store_true", help="fix what is safe to fix")

    def handle(self, *args, **options):
        if not gateway.configured():
            raise CommandError("STRIPE_SECRET_KEY is not set")
        start = since(options["since"])
        try:
            theirs = {session.id: session for session in gateway.list_checkout_sessions(start)}
        except stripe.StripeError as error:
            raise CommandError(f"Stripe cannot be reached: {error}") from error
        ours = {a.session_id: a for a in CheckoutAttempt.objects.filter(created__gte=start).select_related("order")}
        ours.update({a.session_id: a for a in CheckoutAttempt.objects.filter(session_id__in=theirs)
                    .select_related("order")})
        found = fixed = 0
        for session_id, attempt in sorted(ours.items(), key=lambda item: item[1].created):
            session = theirs.get(session_id)
            if session is None:
                try:
                    session = gateway.retrieve_checkout_session(session_id)
                except stripe.StripeError as error:
                    self.stdout.write(f"{attempt.order.number}  {session_id}  cannot be read at Stripe: {error}")
                    found += 1
                    continue
            problem, fix = self.compare(attempt, session)
            if problem is None:
                continue
            found += 1
            done = ""
            if fix and options["fix"]:
                with transaction.atomic():
                    fix()
                fixed += 1
                done = "  → fixed"
            self.stdout.write(f"{attempt.order.number}  {session_id}  {problem}{done}")
        self.stdout.write(f"{found} disagreeing, {fixed} fixed")

    def compare(self, attempt, session):
        paid_there = session.payment_status in ("paid", "no_payment_required")
        if paid_there and attempt.status != Status.PAID:
            return (f"paid at Stripe ({session.amount_total / 100:.2f} {session.currency.upper()}), "
                    f"unpaid here ({attempt.order.status})",
                    lambda: services.record_paid(attempt, session.amount_total, session.currency,
                                                 session.payment_intent or "", "reconcile"))
        if attempt.status == Status.PAID and not paid_there:
            return f"paid here, not at Stripe (Stripe: {session.status}/{session.payment_status})", None
        if session.status == "expired" and attempt.status == Status.OPEN:
            def expire():
                CheckoutAttempt.objects.filter(pk=attempt.pk, status=Status.OPEN).update(status=Status.EXPIRED)
                transaction.on_commit(lambda: services.release(attempt.order_id))
            return "expired at Stripe, open here", expire
        return None, None
