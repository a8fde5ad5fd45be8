from django.conf import settings
from django.utils.functional import SimpleLazyObject

from committees.selectors import is_staff_user  # the one staff rule, as icp_secretariat.auth


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # The header offers "Dashboard" only to the secretariat and administrators: anyone else
        # found there only "You are not on the secretariat of any committee". Asked (one query)
        # only where a page's header is drawn for someone signed in.
        "show_dashboard": SimpleLazyObject(lambda: _is_staff(request)),
    }


def _is_staff(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and is_staff_user(user)
