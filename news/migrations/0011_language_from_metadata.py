"""News items imported before the language field get the language their import recorded
(``raw_metadata["language"]``): see :func:`iomcms.languages.languages_from_metadata`.
Not atomic, so that each batch is its own transaction on a large table. Backwards: nothing."""

from django.db import migrations

from iomcms.languages import languages_from_metadata


def forwards(apps, schema_editor):
    languages_from_metadata(apps.get_model("news", "NewsItem"))


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("news", "0010_languages")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
