"""Background work of the live rooms, on django-tasks' database backend (make run starts the worker)."""

from django_tasks import task

from . import notify
from .models import LiveSession


@task(backend="background")
def notify_went_live(session_id):
    """开播提醒 to every subscriber, off nginx's callback: it answers at once however many there are."""
    session = LiveSession.objects.filter(pk=session_id).first()
    return notify.went_live(session) if session else 0


@task(backend="background")
def end_if_not_back(session_id):
    """The grace after an encoder dropped out is over: end the session unless it came back."""
    from .ingest import end_abandoned

    return end_abandoned()
