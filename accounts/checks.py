from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def sms_backend(app_configs, **kwargs):
    """In production the codes must reach phones, not the server's output."""
    if settings.SMS_BACKEND.endswith("ConsoleBackend"):
        return [Warning("SMS_BACKEND prints login codes to the server's output instead of sending them.",
                        hint="Set SMS_BACKEND=accounts.sms.aliyun.AliyunBackend and the SMS_ALIYUN_* settings.",
                        id="accounts.W001")]
    return []
