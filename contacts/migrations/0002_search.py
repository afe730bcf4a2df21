"""Full-text search on PostgreSQL: the contacts search column (see news/migrations/0003_search).

The name weighs A; job title, office and organization B; the e-mail address C (the parser keeps
an address as one lexeme, which a prefix query still finds). SQLite: nothing to do.
The trigger function was later replaced by an identical one rendered from
``iomcms/search/specs.py`` (iomcms/migrations/0002_search).
"""

from django.db import migrations

FORWARD = """
ALTER TABLE contacts_contact ADD COLUMN search_document tsvector;
-- MAIN: kept in the row (not TOASTed) up to about 8 kB, so testing a row costs no TOAST fetch.
ALTER TABLE contacts_contact ALTER COLUMN search_document SET STORAGE MAIN;

CREATE FUNCTION contacts_contact_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('iomcms_search', coalesce(NEW.name, '')), 'A')
        || setweight(to_tsvector('iomcms_search',
                                 coalesce(NEW.job_title, '') || ' ' || coalesce(NEW.office, '')
                                 || ' ' || coalesce(NEW.organization, '')), 'B')
        || setweight(to_tsvector('iomcms_search', coalesce(NEW.email, '')), 'C');
    RETURN NEW;
END
$$;

CREATE TRIGGER contacts_contact_search_document
    BEFORE INSERT OR UPDATE OF name, job_title, office, organization, email ON contacts_contact
    FOR EACH ROW EXECUTE FUNCTION contacts_contact_search_document();

UPDATE contacts_contact SET name = name;

CREATE INDEX contact_search_idx ON contacts_contact USING gin (search_document);
"""

BACKWARD = """
DROP INDEX IF EXISTS contact_search_idx;
DROP TRIGGER IF EXISTS contacts_contact_search_document ON contacts_contact;
DROP FUNCTION IF EXISTS contacts_contact_search_document();
ALTER TABLE contacts_contact DROP COLUMN IF EXISTS search_document;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
        ("news", "0003_search"),  # the iomcms_search text search configuration
    ]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
