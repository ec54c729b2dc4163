"""The full-text index, kept by the database itself on every insert and update.

PostgreSQL: a trigger fills search_vector (head weighted A, then the body) and title_vector (the head)
from the folded columns, both GIN-indexed; punctuation inside words ("19-ct/tw", "www.x.vn") splits them,
as core.text.search_text and SQLite's tokenizer do. SQLite: an FTS5 table over the same two columns, kept in step by
triggers (external content, so the text is stored once).
"""

from django.db import migrations

POSTGRES = [
    """
    CREATE FUNCTION documents_document_vectors() RETURNS trigger AS $$
    BEGIN
      NEW.title_vector := to_tsvector('simple', translate(coalesce(NEW.search_head, ''), '/-._:@', '      '));
      NEW.search_vector := setweight(NEW.title_vector, 'A')
                           || to_tsvector('simple', translate(coalesce(NEW.folded_text, ''), '/-._:@', '      '));
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER documents_document_vectors BEFORE INSERT OR UPDATE OF search_head, folded_text
    ON documents_document FOR EACH ROW EXECUTE FUNCTION documents_document_vectors();
    """,
    "CREATE INDEX documents_search_vector ON documents_document USING gin (search_vector);",
    "CREATE INDEX documents_title_vector ON documents_document USING gin (title_vector);",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS documents_title_vector;",
    "DROP INDEX IF EXISTS documents_search_vector;",
    "DROP TRIGGER IF EXISTS documents_document_vectors ON documents_document;",
    "DROP FUNCTION IF EXISTS documents_document_vectors();",
]
SQLITE = [
    """
    CREATE VIRTUAL TABLE documents_fts USING fts5(
      search_head, folded_text, content='documents_document', content_rowid='id',
      tokenize='unicode61 remove_diacritics 0'
    );
    """,
    """
    CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents_document BEGIN
      INSERT INTO documents_fts(rowid, search_head, folded_text) VALUES (new.id, new.search_head, new.folded_text);
    END;
    """,
    """
    CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents_document BEGIN
      INSERT INTO documents_fts(documents_fts, rowid, search_head, folded_text)
      VALUES ('delete', old.id, old.search_head, old.folded_text);
    END;
    """,
    """
    CREATE TRIGGER documents_fts_update AFTER UPDATE OF search_head, folded_text ON documents_document BEGIN
      INSERT INTO documents_fts(documents_fts, rowid, search_head, folded_text)
      VALUES ('delete', old.id, old.search_head, old.folded_text);
      INSERT INTO documents_fts(rowid, search_head, folded_text) VALUES (new.id, new.search_head, new.folded_text);
    END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS documents_fts_update;",
    "DROP TRIGGER IF EXISTS documents_fts_delete;",
    "DROP TRIGGER IF EXISTS documents_fts_insert;",
    "DROP TABLE IF EXISTS documents_fts;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
