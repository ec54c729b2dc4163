"""SQLite: what a search needs to know before it reads any match, and a narrow copy of the rows it reads.

- `documents_fts_terms` (fts5vocab over documents_fts, 'row'): for each word, how many documents hold it. A search
  learns from it, without reading a match, whether its words are rare (its matches are then read and counted
  exactly) or stand in nearly every document (the count is then estimated, as PostgreSQL's planner does).
- `documents_narrow`: an index holding the columns that counting, facets and ordering read. SQLite keeps a
  document's long texts inside its row, before the type and issuer columns, so reading those from the table walks
  every text's overflow pages; the index answers them without touching the table (by id, for the matches of
  words). `documents_narrow_newest` holds the same columns in date order, for filters by year and for reading
  newest first; `documents_type_number` serves a number typed as "chỉ thị 19".

PostgreSQL needs neither: its planner has the words' statistics, and its rows are narrow (migration 0004).
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE documents_fts_terms USING fts5vocab(documents_fts, 'row');",
    "CREATE INDEX documents_narrow ON documents_document (access, id, type_id, level, status, issuer_id, issued_on);",
    "CREATE INDEX documents_narrow_newest ON documents_document "
    "(access, issued_on, id, type_id, level, status, issuer_id);",
    "CREATE INDEX documents_type_number ON documents_document (number_int, type_id);",
]
SQLITE_REVERSE = [
    "DROP INDEX IF EXISTS documents_type_number;",
    "DROP INDEX IF EXISTS documents_narrow_newest;",
    "DROP INDEX IF EXISTS documents_narrow;",
    "DROP TABLE IF EXISTS documents_fts_terms;",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_filter_lexemes")]

    operations = [migrations.RunPython(_run(SQLITE), _run(SQLITE_REVERSE))]
