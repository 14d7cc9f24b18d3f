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

from market.payments import gateway, services, settle
from market.payments.models import CheckoutAttempt, PaymentIssue

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
        known = CheckoutAttempt.objects.filter(session_id__isnull=False).select_related("order")
        ours = {a.session_id: a for a in known.filter(created__gte=start)}
        ours.update({a.session_id: a for a in known.filter(session_id__in=theirs)})
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
        issues = PaymentIssue.objects.filter(resolved=False).select_related("order")
        for issue in issues:
            self.stdout.write(f"open issue: {issue.order.number}  {issue.kind}  {issue.payment_intent}  {issue.detail}")
        self.stdout.write(f"{issues.count()} payment issues waiting for an operator (/dashboard/payment-issues/)")

    def compare(self, attempt, session):
        paid_there = session.payment_status in settle.PAID
        if paid_there and attempt.status != Status.PAID:
            return (f"paid at Stripe ({session.amount_total / 100:.2f} {session.currency.upper()}), "
                    f"unpaid here ({attempt.order.status})",
                    lambda: settle.apply_session(attempt, session, "reconcile"))
        if attempt.status == Status.PAID and not paid_there:
            return f"paid here, not at Stripe (Stripe: {session.status}/{session.payment_status})", None
        if session.status == "expired" and attempt.status == Status.OPEN:
            def expire():
                settle.apply_session(attempt, session, "reconcile")
                transaction.on_commit(lambda: services.release(attempt.order_id, timezone.now() + services.GRACE))
            return "expired at Stripe, open here", expire
        return None, None
