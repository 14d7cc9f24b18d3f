"""「加入日历」: an event or a reservation as an iCalendar (.ics) file, in Asia/Shanghai time."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

ZONE = ZoneInfo(settings.TIME_ZONE)


def event_ics(event, reservation=None):
    """The event as one VEVENT (with the reservation's places and code when given), with its VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", "-//共富超市 · 幸福直播间//社区家园//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    vevent = Event()
    vevent.add("uid", f"event-{event.pk}" + (f"-reservation-{reservation.pk}" if reservation else "")
               + "@gongfu")
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.start.astimezone(ZONE))
    vevent.add("dtend", event.end.astimezone(ZONE))
    vevent.add("summary", event.title)
    vevent.add("location", event.place)
    lines = [event.intro] if event.intro else []
    if reservation:
        lines.append(_("预约 %(places)s 位，签到码 %(code)s") % {"places": reservation.places, "code": reservation.code})
    lines.append(settings.SITE_URL.rstrip("/") + event.url)
    vevent.add("description", "\n".join(lines))
    vevent.add("url", settings.SITE_URL.rstrip("/") + event.url)
    cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()
