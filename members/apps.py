from django.apps import AppConfig

from icp_secretariat.lib import public_cache


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"
    verbose_name = "People and memberships"

    def ready(self) -> None:
        # Public pages are cached per "publication generation"; any write here moves it on.
        public_cache.watch_app(self.label)
