from django_tasks import task

from . import sms
from .sealing import unseal


@task(backend="background")
def send_sms(number, template, sealed_params):
    """Send one text message. Its parameters (a login code) travel sealed, so the task table never
    holds a usable code in clear."""
    sms.backend().send(number, template, unseal(sealed_params))
