from django.apps import AppConfig

from icp_secretariat.lib import blank_choice, clean_input, history, params, public_cache


class CommitteesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "committees"
    verbose_name = "Committees and partners"

    def ready(self) -> None:
        # Public pages are cached per "publication generation"; any write here moves it on.
        public_cache.watch_app(self.label)
        # Control characters never get in: every form text field and every model save.
        clean_input.install()
        # A multiple choice refuses a key past the database's integers with a message.
        params.guard_choice_keys()
        # The audit history's manager class is made once per model, not at every save.
        history.reuse_history_managers()
        # A select's empty choice reads "Not chosen", not Django's row of hyphens.
        blank_choice.name_blank_choices()
