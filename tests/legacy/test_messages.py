"""The importer's messages for staff: English in its reports, translated on the admin page."""

import json
import pickle

import pytest
from django.utils import translation

from legacy import parser
from legacy.parsing.model import Note, ParseError, note
from legacy.report import FileResult, Outcome, in_language

from .test_admin_import import URL, fixture, good_zip, rows


def test_a_note_reads_as_english_and_keeps_its_template():
    message = note("the year %(year)r could not be read", year="2O17")
    assert message == "the year '2O17' could not be read"
    assert message.template == "the year %(year)r could not be read"
    assert message.values == {"year": "2O17"}


def test_a_note_survives_pickling_and_the_json_report():
    inner = note("the same project code %(code)s", code="CE.1")
    message = note("another file in this run (%(file)s) has %(same)s", file="a.txt", same=inner)
    copy = pickle.loads(pickle.dumps(message))  # parser workers send results back this way
    assert isinstance(copy, Note) and copy == message
    assert copy.values["same"].template == inner.template
    result = FileResult("a.txt", Outcome.FAILED, error=message, warnings=[inner])
    assert json.loads(json.dumps(result.as_dict()))["error"] == str(message)


def test_in_language_translates_the_template_and_the_notes_among_its_values():
    message = note(
        "another file in this run (%(file)s) has %(same)s; only the first was imported",
        file="a.txt",
        same=note("the same title and no project code"),
    )
    with translation.override("fr"):
        assert in_language(message) == (
            "un autre fichier de cette importation (a.txt) a le même titre et aucun code de "
            "projet ; seul le premier a été importé"
        )
    with translation.override("es"):
        assert in_language(note("the file is empty")) == "el archivo está vacío"
    assert in_language("plain text") == "plain text"
    assert in_language(None) is None


def test_parser_errors_and_warnings_are_notes():
    with pytest.raises(ParseError) as caught:
        parser.parse("   \n")
    assert isinstance(caught.value.message, Note)
    assert caught.value.message == "the file is empty"
    result = parser.parse(fixture("project_french.txt").decode())
    assert all(isinstance(warning, Note) for warning in result.warnings)


@pytest.mark.django_db
def test_the_admin_report_is_in_the_staff_members_language(publisher_client):
    archive = good_zip(**{"pages/project_budget_nan.txt": fixture("project_budget_nan.txt")})
    # The staff member's language: their browser's (LocaleMiddleware), or the active one.
    with translation.override("fr"):
        response = publisher_client.post(
            URL, {"files": [archive], "dry_run": "on"}, headers={"accept-language": "fr"}
        )
    assert rows(response)["batch.zip:pages/project_budget_nan.txt"] == "failed"
    html = response.content.decode()
    assert "le budget &#x27;pending donor approval&#x27; n’est pas un nombre" in html
    assert "is not a number" not in html
