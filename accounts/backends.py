from django.contrib.auth.backends import ModelBackend

from .mobile import is_mobile, normalise
from .models import VerifiedMobile


class MobilePasswordBackend(ModelBackend):
    """A password login with the verified mobile in place of the username (for residents who set one)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not is_mobile(username):
            return None
        found = VerifiedMobile.objects.filter(number=normalise(username)).select_related("user").first()
        if found and found.user.check_password(password) and self.user_can_authenticate(found.user):
            return found.user
        return None
