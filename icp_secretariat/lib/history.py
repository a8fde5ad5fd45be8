"""The audit history's manager, made once per model instead of at every use.

django-simple-history's `Model.history` descriptor builds a new manager class
(`HistoryManager.from_queryset(HistoricalQuerySet)`, which walks the queryset's members with
`inspect.getmembers`) each time it is read, and its post-save reads it for every historical
row it writes: 88 us a read, against 2 us with the class reused (about 4% of saving a few
people and their memberships, and about 10 s of the test processes' time in a run of the
suite, by py-spy). The class depends only on the descriptor's manager and queryset classes,
so it is made at the first read and reused; each read still returns a new manager bound to
its own instance.
"""

from __future__ import annotations


def reuse_history_managers() -> None:
    """Install once, at start-up (AppConfig.ready)."""
    # Imported here, as the other start-up guards import what they patch: the app is loaded by
    # then, and importing this module loads nothing of it.
    from simple_history.manager import HistoryDescriptor

    if getattr(HistoryDescriptor.__get__, "reuses_manager_class", False):
        return

    def __get__(self, instance, owner):
        manager_class = self.__dict__.get("_manager_class")
        if manager_class is None:
            manager_class = self.manager_class.from_queryset(self.queryset_class)
            self._manager_class = manager_class
        return manager_class(self.model, instance)

    __get__.reuses_manager_class = True
    HistoryDescriptor.__get__ = __get__
