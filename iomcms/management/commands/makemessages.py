"""Django's makemessages with this project's settings, so that the plain command
(``manage.py makemessages -l fr -l es``, docs/translations.md) and the completeness test
(tests/test_catalogues.py) extract the same messages."""

from django.core.management.commands import makemessages

# Folders with no user-facing strings: the virtualenv and node packages (their own
# catalogues), the tests (English text they compare), the benchmarks and the demo's data.
IGNORE_PATTERNS = [
    ".venv/*",
    "node_modules/*",
    "tests/*",
    "bench/*",
    "demo/*",
    "staticfiles/*",
    "media/*",
]


class Command(makemessages.Command):
    # note("...") marks the importer's messages for staff (legacy.parsing.model.Note): English
    # in its reports, translated on the admin's import page.
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=note"]

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*(options.get("ignore_patterns") or []), *IGNORE_PATTERNS]
        # A message no longer in the code leaves the catalogue: obsolete (#~) entries would
        # sit there untested.
        options["no_obsolete"] = True
        return super().handle(*args, **options)
