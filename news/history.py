"""A news item's media contacts and projects in its revision history (and a project's news).

The links are models of their own (``NewsItemContact``, ``NewsItemProject``, each with its
own history), so the compare page (``iomcms/history.py``) asks the model admins'
``history_extra_rows`` for them.
"""

from django.utils.translation import gettext as _

from contacts.models import Contact

from .models import NewsItem, NewsItemContact, NewsItemProject


def links_as_of(owner_history, link_history, target, names_of, records, order=("id",)):
    """For each historical record of an owner (a news item, a project), the other ends of its
    links as they stood then, in ``order``.

    A version's links are the links as they were until the owner's next recorded change: the
    change form saves the owner first and its inline links just after, so the links of a save
    belong to the version that save created. ``owner_history`` and ``link_history`` are the
    owner's and its links' history rows; ``target`` the link's field naming the other end;
    ``names_of(ids)`` gives ``{id: name}``. Three queries whatever the number of versions.
    Returns ``{history_id: [str, ...]}``.
    """
    dates = list(
        owner_history.order_by("history_date", "history_id").values_list(
            "history_id", "history_date"
        )
    )
    cutoff = {}
    for (history_id, _date), following in zip(dates, [*dates[1:], None], strict=True):
        cutoff[history_id] = following[1] if following else None
    target_id = f"{target}_id"
    links = list(
        link_history.order_by("history_date", "history_id").values(
            *{
                "id": None,
                target_id: None,
                "history_type": None,
                "history_date": None,
                **dict.fromkeys(order),
            }
        )
    )
    names = names_of({link[target_id] for link in links})
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
        ordered = sorted(current.values(), key=lambda link: [link[key] for key in order])
        result[record.history_id] = [
            names.get(link[target_id], _("#%s (deleted)") % link[target_id]) for link in ordered
        ]
    return result


def _names(model):
    return lambda ids: {row.pk: str(row) for row in model._default_manager.filter(pk__in=ids)}


def media_contacts_as_of(news_item_id, records):
    """For each historical news item record, its media contacts as they stood then, in the
    order the release lists them (:func:`links_as_of`)."""
    return links_as_of(
        NewsItem.history.filter(id=news_item_id),
        NewsItemContact.history.filter(news_item_id=news_item_id),
        "contact",
        _names(Contact),
        records,
        order=("position", "id"),
    )


def projects_as_of(news_item_id, records):
    """For each historical news item record, the projects it was linked to then."""
    project = NewsItemProject._meta.get_field("project").related_model
    return links_as_of(
        NewsItem.history.filter(id=news_item_id),
        NewsItemProject.history.filter(news_item_id=news_item_id),
        "project",
        _names(project),
        records,
    )


def news_as_of(project_id, records):
    """For each historical project record, the news items linked to it then."""
    project = NewsItemProject._meta.get_field("project").related_model
    return links_as_of(
        project.history.filter(id=project_id),
        NewsItemProject.history.filter(project_id=project_id),
        "news_item",
        _names(NewsItem),
        records,
    )
