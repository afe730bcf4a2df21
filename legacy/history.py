"""Who and why on the revision-history rows an import writes (django-simple-history)."""

import contextlib
import threading

from simple_history.signals import pre_create_historical_record

# Change reasons of the history rows an import writes, followed by the file name.
IMPORTED = "Imported from legacy text"
REIMPORTED = "Updated from legacy text"


def history_reason(verb, source_file):
    """'Imported from legacy text x.txt', cut to 100 characters for the history list."""
    return f"{verb} {source_file}"[:100] if source_file else verb


def attribute(obj, verb, source_file, user):
    """Who and why, for the history row that saving ``obj`` records."""
    obj._change_reason = history_reason(verb, source_file)
    if user is not None:
        # Without a user, simple-history falls back to the request's (admin upload) or none.
        obj._history_user = user


@contextlib.contextmanager
def attributed_deletions(model, user, reasons, key):
    """Name the user and the reason on the history rows of ``model`` deletions in this block.

    Deleting a queryset builds fresh instances, so nothing can be set on them beforehand;
    simple-history's pre_create_historical_record signal lets us fill the rows in. Only
    deletions by this thread, of rows whose ``key`` is in ``reasons``, are touched.
    """
    thread = threading.get_ident()
    history_model = model.history.model

    def fill(sender, history_instance, **kwargs):
        if threading.get_ident() != thread or history_instance.history_type != "-":
            return
        reason = reasons.get(getattr(history_instance, key))
        if reason is None:
            return
        history_instance.history_change_reason = reason
        if user is not None:
            history_instance.history_user = user

    pre_create_historical_record.connect(fill, sender=history_model, weak=False)
    try:
        yield
    finally:
        pre_create_historical_record.disconnect(fill, sender=history_model)
