"""支付异常: the operators' queue of payments the site would not take silently (paid twice, paid after the
order was released, a wrong amount, a refund made in Stripe's dashboard). Each has one action: send that
payment back through Stripe, or mark it handled with a note."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from market.workspace.review_views import OperatorMixin

from . import gateway, refunds
from .models import PaymentIssue

REFUNDABLE = (PaymentIssue.Kind.PAID_TWICE, PaymentIssue.Kind.PAID_AFTER_RELEASE, PaymentIssue.Kind.AMOUNT_MISMATCH)


class IssueListView(OperatorMixin, TemplateView):
    template_name = "market/payments/issues.html"

    def get_context_data(self, **kwargs):
        issues = PaymentIssue.objects.select_related("order", "attempt", "resolved_by").prefetch_related("refunds")
        rows = [(issue, can_refund(issue)) for issue in issues.filter(resolved=False)]
        return super().get_context_data(rows=rows, done=issues.filter(resolved=True)[:20], **kwargs)


def can_refund(issue):
    return (issue.kind in REFUNDABLE and bool(issue.payment_intent and issue.amount and issue.attempt_id)
            and not any(r.status != r.Status.FAILED for r in issue.refunds.all()))


class IssueRefundView(OperatorMixin, View):
    def post(self, request, pk):
        issue = get_object_or_404(PaymentIssue, pk=pk)
        try:
            record = refunds.refund_payment(issue, request.user, request.POST.get("note", "").strip())
        except refunds.RefundRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("订单 %(number)s：已申请退款 ¥%(amount)s（%(status)s）") % {
                "number": issue.order.number, "amount": gateway.yuan(record.amount),
                "status": record.get_status_display()})
        return redirect("payment-issues")


class IssueResolveView(OperatorMixin, View):
    def post(self, request, pk):
        note = request.POST.get("note", "").strip()
        issue = get_object_or_404(PaymentIssue, pk=pk)
        if not note:
            messages.error(request, _("请写明是怎么处理的"))
        elif PaymentIssue.objects.filter(pk=pk, resolved=False).update(
                resolved=True, resolved_at=timezone.now(), resolved_by=request.user, note=note[:500]):
            messages.success(request, _("订单 %(number)s 的支付异常已标记为处理完") % {"number": issue.order.number})
        else:
            messages.info(request, _("这个问题已经处理过了"))
        return redirect("payment-issues")
