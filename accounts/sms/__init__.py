"""Sending text messages, pluggable in Django's style: ``SMS_BACKEND`` names the class.

- ``accounts.sms.console.ConsoleBackend`` (development, the default): prints each message with its number
  to the server's output, so ``make run`` needs no provider account.
- ``accounts.sms.aliyun.AliyunBackend``: Aliyun 短信服务 through its official SDK; the sign name and the
  template ids are settings (``SMS_SIGN_NAME``, ``SMS_TEMPLATES``).

Messages go out from the django-tasks worker (``accounts.tasks.send_sms``), never from a request.
"""

from django.conf import settings
from django.utils.module_loading import import_string

# What each message says; providers send their approved template with the same parameters.
TEXTS = {
    "code": "您的验证码是 {code}，{minutes} 分钟内有效。如非本人操作，请忽略本短信。",
    "delivered": "您的订单已送达{point}，取货码 {code}，营业时间 {hours}。",
    "promoted": "候补成功：{title}，{when}，签到码 {code}。",
    "reminder": "明天的活动：{title}，{when} 开始，签到码 {code}。",
}


class SmsError(Exception):
    """The provider refused or could not be reached."""


class BaseBackend:
    def send(self, number, template, params):
        raise NotImplementedError


def backend():
    return import_string(settings.SMS_BACKEND)()


def text(template, params):
    return f"【{settings.SMS_SIGN_NAME}】" + TEXTS[template].format(**params)
