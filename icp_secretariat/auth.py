"""Sign-in rules: accounts are created by the secretariat, so public signup is closed, and each
person lands on their own work after signing in (issue 13): secretariat officers and
administrators on the secretariat dashboard, everyone else (Members, Participants, the Chair,
the Leadership Team, observers) on their own page, /my/, with what is due from them.

Who counts as staff is `committees.selectors.is_staff_user`.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from committees.selectors import is_staff_user


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def get_login_redirect_url(self, request) -> str:
        # Only where no `next` was given: allauth honours a safe `next` before asking here.
        if is_staff_user(request.user):
            return reverse("secretariat:dashboard")
        return reverse("portal:home")
