"""Sign-in rules: accounts are created by the secretariat, so public signup is closed.

Who counts as staff is `committees.selectors.is_staff_user`.
"""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False
