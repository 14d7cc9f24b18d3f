from oscar.apps.checkout import utils


class CheckoutSessionData(utils.CheckoutSessionData):
    """Oscar's checkout session, plus 代下单: the resident a community worker is ordering for."""

    def assist(self, mobile, user_id):
        self._set("assist", "mobile", mobile)
        self._set("assist", "user_id", user_id)

    def stop_assisting(self):
        self._flush_namespace("assist")

    def assisted_mobile(self):
        return self._get("assist", "mobile")

    def assisted_user_id(self):
        return self._get("assist", "user_id")
