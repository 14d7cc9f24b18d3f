"""开播提醒: tell a session's subscribers it has gone live (in the site, by email, by push)."""

from django.utils.translation import gettext as _

from notices.notify import notify


def went_live(session):
    return notify("live", f"live:{session.pk}", session.subscribers.all(),
                  _("开播啦：%(title)s") % {"title": session.title},
                  _("你订阅的直播「%(title)s」开始了，快来看看吧。") % {"title": session.title},
                  url=session.get_absolute_url(), link=_("进入直播间"))
