"""Logging filters: a refused request is one line, a real error keeps its traceback.

Django logs every 4xx answer on ``django.request`` and every suspicious request (a disallowed
``Host`` header, a bad signature, ...) on ``django.security.<ExceptionName>`` together with the
exception, so each scanner probe or 403 printed a full traceback and real errors drowned.
Those tracebacks say nothing the message line does not (the exception was raised on purpose to
refuse the request), so the console handler drops them; a 500 keeps its traceback.
"""

import copy
import logging


def is_refusal(record):
    """A record about a refused request rather than a failure of the site."""
    if record.name.startswith("django.security."):
        return True
    if record.name == "django.request":
        status = getattr(record, "status_code", None)
        return status is not None and status < 500
    return False


class OneLineRefusals(logging.Filter):
    """On a handler: refusals without their traceback, every other record as it is."""

    def filter(self, record):
        if not (record.exc_info or record.exc_text) or not is_refusal(record):
            return True
        # A copy: the same record also goes to the other handlers (a test's
        # capture), which may still want the exception.
        record = copy.copy(record)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return record
