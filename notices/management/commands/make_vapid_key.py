from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand
from py_vapid.utils import b64urlencode


class Command(BaseCommand):
    help = "Print a new VAPID private key for WEBPUSH_VAPID_PRIVATE_KEY (keep it: changing it drops every 手机通知)."

    def handle(self, *args, **options):
        key = ec.generate_private_key(ec.SECP256R1())
        self.stdout.write(b64urlencode(key.private_numbers().private_value.to_bytes(32, "big")))
