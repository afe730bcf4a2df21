"""Full-text search on PostgreSQL: the projects search column (see news/migrations/0003_search).

Title and project code weigh A, the summary B, the description (cleaned HTML: the parser skips
the tags) C. SQLite: nothing to do.
The trigger function was later replaced by an identical one rendered from
``iomcms/search/specs.py`` (iomcms/migrations/0002_search).
"""

from django.db import migrations

FORWARD = """
ALTER TABLE projects_project ADD COLUMN search_document tsvector;
-- MAIN: kept in the row (not TOASTed) up to about 8 kB, so testing a row costs no TOAST fetch.
ALTER TABLE projects_project ALTER COLUMN search_document SET STORAGE MAIN;

CREATE FUNCTION projects_project_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('iomcms_search',
                              coalesce(NEW.title, '') || ' ' || coalesce(NEW.project_code, '')),
                  'A')
        || setweight(to_tsvector('iomcms_search', coalesce(NEW.summary, '')), 'B')
        || setweight(to_tsvector('iomcms_search', coalesce(NEW.description, '')), 'C');
    RETURN NEW;
END
$$;

CREATE TRIGGER projects_project_search_document
    BEFORE INSERT OR UPDATE OF title, project_code, summary, description ON projects_project
    FOR EACH ROW EXECUTE FUNCTION projects_project_search_document();

UPDATE projects_project SET title = title;

CREATE INDEX project_search_idx ON projects_project USING gin (search_document);
"""

BACKWARD = """
DROP INDEX IF EXISTS project_search_idx;
DROP TRIGGER IF EXISTS projects_project_search_document ON projects_project;
DROP FUNCTION IF EXISTS projects_project_search_document();
ALTER TABLE projects_project DROP COLUMN IF EXISTS search_document;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_import_lookup_indexes"),
        ("news", "0003_search"),  # the iomcms_search text search configuration
    ]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
