"""开播提醒: tell a session's subscribers it has gone live, in the site and by email."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils.html import format_html
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

Notification = get_model("communication", "Notification")


def went_live(session):
    subscribers = list(session.subscribers.all())
    if not subscribers:
        return 0
    url = session.get_absolute_url()
    # Oscar prints notifications as HTML: the host's title goes in escaped, the link as a link
    subject = format_html(_("开播啦：{title}"), title=session.title)
    body = format_html(_("你订阅的直播「{title}」开始了，<a href=\"{url}\">快来看看吧</a>"), title=session.title, url=url)
    # one INSERT for all of them (Oscar's Dispatcher writes one row at a time)
    Notification.objects.bulk_create([Notification(recipient=user, subject=subject, body=body) for user in subscribers],
                                     batch_size=500)
    site = settings.SITE_URL.rstrip("/")
    full_body = _("你订阅的直播「%(title)s」开始了，快来看看吧：%(url)s") % {"title": session.title, "url": site + url}
    send_mass_mail(
        [(subject, full_body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in subscribers if user.email],
        fail_silently=True,
    )
    return len(subscribers)
