"""Template filters: ``tel_href`` (contacts) and ``partial_date`` (projects)."""

import pytest
from django.template import Context, Template

from contacts.templatetags.contact_tags import tel_href
from projects.templatetags.project_tags import partial_date


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("+57.1.594.6410 ext. 142", "tel:+5715946410;ext=142"),
        ("57.311 5619495 or 57.1.594 6410", "tel:573115619495"),
        ("", ""),
        (None, ""),
        ("+41 22 717 9111", "tel:+41227179111"),
        ("(503) 2521-0500 Extension 12", "tel:50325210500;ext=12"),
        ("+1 212 555 0100 x7", "tel:+12125550100;ext=7"),
        ("+507 305 3350, +507 305 3351", "tel:+5073053350"),
        ("+254 20 422 1000 / 1001", "tel:+254204221000"),
        ("ask reception", ""),
    ],
)
def test_tel_href(number, expected):
    assert tel_href(number) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017", "2017"),
        ("2017-03", "March 2017"),
        ("2017-03-01", "1 March 2017"),
        ("", ""),
        (None, ""),
        # Not a partial date, or not a real one: shown as stored rather than crashing.
        ("2017-13", "2017-13"),
        ("2017-02-30", "2017-02-30"),
        ("sometime in 2017", "sometime in 2017"),
    ],
)
def test_partial_date(value, expected):
    assert partial_date(value) == expected


def test_filters_are_registered_in_their_libraries():
    html = Template(
        "{% load contact_tags project_tags %}{{ phone|tel_href }}|{{ start|partial_date }}"
    ).render(Context({"phone": "+57 1 594 6410", "start": "2017-03"}))
    assert html == "tel:+5715946410|March 2017"
