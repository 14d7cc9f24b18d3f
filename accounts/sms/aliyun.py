import json

from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_dysmsapi20170525.models import SendSmsRequest
from alibabacloud_tea_openapi.models import Config
from django.conf import settings

from . import BaseBackend, SmsError


class AliyunBackend(BaseBackend):
    """Aliyun 短信服务 (Dysmsapi SendSms). Settings: SMS_ALIYUN_ACCESS_KEY_ID / _SECRET, SMS_SIGN_NAME,
    SMS_TEMPLATES (our template name → the approved template code), SMS_ALIYUN_ENDPOINT."""

    def client(self):
        config = Config(access_key_id=settings.SMS_ALIYUN_ACCESS_KEY_ID,
                        access_key_secret=settings.SMS_ALIYUN_ACCESS_KEY_SECRET,
                        endpoint=settings.SMS_ALIYUN_ENDPOINT, protocol=settings.SMS_ALIYUN_PROTOCOL,
                        connect_timeout=5000, read_timeout=10000)
        return Client(config)

    def send(self, number, template, params):
        request = SendSmsRequest(phone_numbers=number, sign_name=settings.SMS_SIGN_NAME,
                                 template_code=settings.SMS_TEMPLATES[template],
                                 template_param=json.dumps({k: str(v) for k, v in params.items()}))
        try:
            body = self.client().send_sms(request).body
        except Exception as exc:  # the SDK raises its own errors for HTTP and API failures
            raise SmsError(str(exc)) from exc
        if body.code != "OK":
            raise SmsError(f"{body.code}: {body.message}")
        return body.biz_id
