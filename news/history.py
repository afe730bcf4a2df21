"""A news item's media contacts in its revision history.

The links are a model of their own (``NewsItemContact``, with its own history), so the compare
page (``iomcms/history.py``) asks ``NewsItemAdmin.history_extra_rows`` for them.
"""

from django.utils.translation import gettext as _

from contacts.models import Contact

from .models import NewsItem, NewsItemContact


def media_contacts_as_of(news_item_id, records):
    """For each historical news item record, its media contacts as they stood then.

    A version's contacts are the links as they were until the item's next recorded change:
    the change form saves the item first and its contact links just after, so the links of a
    save belong to the version that save created. Three queries whatever the number of
    versions: the item's history, its link history, and the contacts named in it. Returns
    {history_id: [str, ...]}.
    """
    item_history = NewsItem.history.filter(id=news_item_id).order_by("history_date", "history_id")
    dates = list(item_history.values_list("history_id", "history_date"))
    cutoff = {}
    for (history_id, _date), following in zip(dates, [*dates[1:], None], strict=True):
        cutoff[history_id] = following[1] if following else None
    links = list(
        NewsItemContact.history.filter(news_item_id=news_item_id)
        .order_by("history_date", "history_id")
        .values("id", "contact_id", "position", "history_type", "history_date")
    )
    names = {
        contact.pk: str(contact)
        for contact in Contact.objects.filter(pk__in={link["contact_id"] for link in links})
    }
    result = {}
    for record in records:
        until = cutoff.get(record.history_id, record.history_date)
        current = {}
        for link in links:
            if until is not None and link["history_date"] >= until:
                break
            if link["history_type"] == "-":
                current.pop(link["id"], None)
            else:
                current[link["id"]] = link
        ordered = sorted(current.values(), key=lambda link: (link["position"], link["id"]))
        result[record.history_id] = [
            names.get(link["contact_id"], _("#%s (deleted)") % link["contact_id"])
            for link in ordered
        ]
    return result
