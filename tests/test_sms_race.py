"""Many presses at once on the SMS code paths, through the real site (Uvicorn on its own database: a SQLite
file in `make test`, PostgreSQL in .ci/run's second pass):

- twelve 获取验证码 for one number at the same moment send exactly one code (the 60 s resend gap);
- twelve wrong codes for one code at the same moment get exactly five tries, after which even the right
  code is refused.
"""

import json
import threading

import requests

from .e2e import stack_python

PRESSES = 12


def at_once(site, make_data):
    barrier = threading.Barrier(PRESSES)
    answers = [None] * PRESSES

    def press(n):
        s = requests.Session()
        s.get(site + "/accounts/login/")
        data = {**make_data(n), "csrfmiddlewaretoken": s.cookies["csrftoken"]}
        barrier.wait()
        answers[n] = s.post(site + "/accounts/code/", data=data, headers={"Referer": site}, allow_redirects=False)

    threads = [threading.Thread(target=press, args=(n,)) for n in range(PRESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


STATE = """
import json
from accounts.models import SendQuota, SmsCode
codes = SmsCode.objects.filter(number="{number}")
print(json.dumps({{"codes": codes.count(), "tries": [c.tries for c in codes],
                  "sent": list(SendQuota.objects.filter(key="number:{number}").values_list("sent", flat=True))}}))
"""


def test_twelve_presses_of_get_code_send_one_code(stack):
    site, number = stack["site"], "13722220001"
    # a code went to this number two minutes ago: the counter row exists (the first code of a day is kept
    # to one by the row's unique key instead)
    stack_python(stack, f"""
from datetime import timedelta
from django.utils import timezone
from accounts.models import SendQuota
SendQuota.objects.create(key="number:{number}", day=timezone.localdate(), sent=1,
                         last_at=timezone.now() - timedelta(minutes=2))
""")
    answers = at_once(site, lambda n: {"mobile": number, "action": "send"})
    assert all(a.status_code in (200, 302) for a in answers), [a.status_code for a in answers]
    assert sum(a.status_code == 302 for a in answers) == 1
    assert all("秒后再获取验证码" in a.text for a in answers if a.status_code == 200)
    state = json.loads(stack_python(stack, STATE.format(number=number)))
    assert state["codes"] == 1 and state["sent"] == [2]


def test_twelve_wrong_codes_at_once_get_five_tries(stack):
    site, number = stack["site"], "13722220002"
    stack_python(stack, f"""
from django.utils import timezone
from accounts.codes import digest
from accounts.models import SmsCode
SmsCode.objects.create(number="{number}", purpose="login", code_hash=digest("{number}", "login", "246810"),
                       sent_at=timezone.now())
""")
    try:
        answers = at_once(site, lambda n: {"mobile": number, "code": f"{n:06d}", "action": "login"})
        assert not any(a.status_code == 302 for a in answers)
        state = json.loads(stack_python(stack, STATE.format(number=number)))
        assert state["tries"] == [5]
        stack_python(stack, "from axes.utils import reset; reset()")  # django-axes paused this address too
        s = requests.Session()
        s.get(site + "/accounts/login/")
        right = s.post(site + "/accounts/code/", data={"mobile": number, "code": "246810", "action": "login",
                                                       "csrfmiddlewaretoken": s.cookies["csrftoken"]},
                       headers={"Referer": site}, allow_redirects=False)
        assert right.status_code == 200 and "已失效" in right.text
    finally:
        stack_python(stack, "from axes.utils import reset; reset()")  # the other browser tests log in from here
