"""Revision history in the admin, on top of django-simple-history.

``HistoryAdmin`` is the base of every content ModelAdmin: the object's History page lists
every recorded change (who, when, what changed) and lets staff open an earlier version and
restore it (a restore goes through the normal change form and ``save_model``, so it is itself
a recorded change and obeys the publishing rules).
"""

from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    pass
