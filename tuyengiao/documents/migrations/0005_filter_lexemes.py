"""PostgreSQL: the filters of a search (type, issuer, level, status, year) also stand in search_vector as
lexemes of their own ("ftype3", "flevelprovince", "fyear2017"), so that a query of common words with a selective
filter is answered by the GIN index alone: the index intersects the words and the filter, and only the matching
rows are read. (A filter on the table's columns makes PostgreSQL read every row the words match, or fetch each
row's vector from TOAST.) SQLite is unchanged: FTS5 gives the matches and the filters are plain conditions."""

from django.db import migrations

FILTERS = """
CREATE FUNCTION documents_filter_vector(type_id bigint, issuer_id bigint, level text, status text, issued_on date)
RETURNS tsvector AS $$
  SELECT to_tsvector('simple', concat_ws(' ',
    'ftype' || type_id, 'fissuer' || issuer_id, 'flevel' || replace(level, '_', ''),
    'fstatus' || replace(status, '_', ''), 'fyear' || extract(year FROM issued_on)::integer))
$$ LANGUAGE sql IMMUTABLE;
"""
VECTORS = """
CREATE OR REPLACE FUNCTION documents_document_vectors() RETURNS trigger AS $$
BEGIN
  NEW.title_vector := to_tsvector('simple', translate(coalesce(NEW.search_head, ''), '/-._:@', '      '));
  NEW.search_vector := setweight(NEW.title_vector, 'A')
                       || to_tsvector('simple', translate(coalesce(NEW.folded_text, ''), '/-._:@', '      '))
                       || documents_filter_vector(NEW.type_id, NEW.issuer_id, NEW.level, NEW.status, NEW.issued_on);
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
VECTORS_BEFORE = """
CREATE OR REPLACE FUNCTION documents_document_vectors() RETURNS trigger AS $$
BEGIN
  NEW.title_vector := to_tsvector('simple', translate(coalesce(NEW.search_head, ''), '/-._:@', '      '));
  NEW.search_vector := setweight(NEW.title_vector, 'A')
                       || to_tsvector('simple', translate(coalesce(NEW.folded_text, ''), '/-._:@', '      '));
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER documents_document_vectors
BEFORE INSERT OR UPDATE OF search_head, folded_text, type_id, issuer_id, level, status, issued_on
ON documents_document FOR EACH ROW EXECUTE FUNCTION documents_document_vectors();
"""
TRIGGER_BEFORE = """
CREATE TRIGGER documents_document_vectors BEFORE INSERT OR UPDATE OF search_head, folded_text
ON documents_document FOR EACH ROW EXECUTE FUNCTION documents_document_vectors();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (FILTERS, VECTORS, "DROP TRIGGER documents_document_vectors ON documents_document", TRIGGER):
        schema_editor.execute(statement)
    schema_editor.execute("UPDATE documents_document SET search_head = search_head")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (
        VECTORS_BEFORE,
        "DROP TRIGGER documents_document_vectors ON documents_document",
        TRIGGER_BEFORE,
        "DROP FUNCTION documents_filter_vector(bigint, bigint, text, text, date)",
    ):
        schema_editor.execute(statement)
    schema_editor.execute("UPDATE documents_document SET search_head = search_head")


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_narrow_rows")]

    operations = [migrations.RunPython(forward, backward)]
