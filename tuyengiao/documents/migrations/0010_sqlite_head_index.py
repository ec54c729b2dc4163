"""SQLite: the head (number, type, title, issuer) indexed on its own, as PostgreSQL's title_vector is.

A head tier asked documents_fts for its words in the search_head column only; FTS5 then reads each word's whole
list of positions, body included, to keep those in the head: "can" AND "bo" in 4,945 heads read the lists of the
99,905 documents that hold both words anywhere (6.0 ms), and a head phrase such as "05 nq tu" cost more than the
same phrase anywhere (2.1 against 1.5 ms). `documents_head_fts` holds the heads only; its lists are as short as
they are.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE VIRTUAL TABLE documents_head_fts USING fts5(
      search_head, content='documents_document', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
    );
    """,
    "INSERT INTO documents_head_fts(documents_head_fts) VALUES ('rebuild');",
    """
    CREATE TRIGGER documents_head_fts_insert AFTER INSERT ON documents_document BEGIN
      INSERT INTO documents_head_fts(rowid, search_head) VALUES (new.id, new.search_head);
    END;
    """,
    """
    CREATE TRIGGER documents_head_fts_delete AFTER DELETE ON documents_document BEGIN
      INSERT INTO documents_head_fts(documents_head_fts, rowid, search_head) VALUES ('delete', old.id, old.search_head);
    END;
    """,
    """
    CREATE TRIGGER documents_head_fts_update AFTER UPDATE OF search_head ON documents_document BEGIN
      INSERT INTO documents_head_fts(documents_head_fts, rowid, search_head) VALUES ('delete', old.id, old.search_head);
      INSERT INTO documents_head_fts(rowid, search_head) VALUES (new.id, new.search_head);
    END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS documents_head_fts_update;",
    "DROP TRIGGER IF EXISTS documents_head_fts_delete;",
    "DROP TRIGGER IF EXISTS documents_head_fts_insert;",
    "DROP TABLE IF EXISTS documents_head_fts;",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0009_number_lexemes")]

    operations = [migrations.RunPython(_run(SQLITE), _run(SQLITE_REVERSE))]
