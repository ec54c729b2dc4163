"""The full-text index of book pages, kept by the database itself on every insert and update (as documents').

PostgreSQL: a trigger fills search_vector from the folded text, GIN-indexed; SQLite: an FTS5 table over the
folded text kept in step by triggers (external content, so the text is stored once).
"""

from django.db import migrations

POSTGRES = [
    """
    CREATE FUNCTION library_bookpage_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector := to_tsvector('simple', translate(coalesce(NEW.folded_text, ''), '/-._:@', '      '));
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER library_bookpage_vector BEFORE INSERT OR UPDATE OF folded_text
    ON library_bookpage FOR EACH ROW EXECUTE FUNCTION library_bookpage_vector();
    """,
    "CREATE INDEX library_bookpage_search ON library_bookpage USING gin (search_vector);",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS library_bookpage_search;",
    "DROP TRIGGER IF EXISTS library_bookpage_vector ON library_bookpage;",
    "DROP FUNCTION IF EXISTS library_bookpage_vector();",
]
SQLITE = [
    """
    CREATE VIRTUAL TABLE library_fts USING fts5(
      folded_text, content='library_bookpage', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
    );
    """,
    """
    CREATE TRIGGER library_fts_insert AFTER INSERT ON library_bookpage BEGIN
      INSERT INTO library_fts(rowid, folded_text) VALUES (new.id, new.folded_text);
    END;
    """,
    """
    CREATE TRIGGER library_fts_delete AFTER DELETE ON library_bookpage BEGIN
      INSERT INTO library_fts(library_fts, rowid, folded_text) VALUES ('delete', old.id, old.folded_text);
    END;
    """,
    """
    CREATE TRIGGER library_fts_update AFTER UPDATE OF folded_text ON library_bookpage BEGIN
      INSERT INTO library_fts(library_fts, rowid, folded_text) VALUES ('delete', old.id, old.folded_text);
      INSERT INTO library_fts(rowid, folded_text) VALUES (new.id, new.folded_text);
    END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS library_fts_update;",
    "DROP TRIGGER IF EXISTS library_fts_delete;",
    "DROP TRIGGER IF EXISTS library_fts_insert;",
    "DROP TABLE IF EXISTS library_fts;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
