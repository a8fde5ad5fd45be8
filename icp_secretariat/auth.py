"""Sign-in rules: accounts are created by the secretariat, so public signup is closed."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False


def is_staff_user(user) -> bool:
    """Staff for the two-factor rule: Django staff, or secretariat of any committee."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.secretariat_of.exists()
