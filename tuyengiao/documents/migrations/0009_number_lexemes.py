"""PostgreSQL: each number cited in a document also stands in search_vector as one lexeme ("fnum05nqtu" for
"05-NQ/TU"), so that a search for a number reads only the documents that cite it.

A number is looked for as a phrase ('05' <-> 'nq' <-> 'tu'). The GIN index cannot check positions: it gives every
document holding the three words (3,461 of 100,000 in bench/documents_search.py), and each one's vector is fetched
from TOAST to check the phrase. The lexeme is made of a word of one to five digits and the two words after it, read
from the vector itself (the same positions the phrase is checked on), so every document that holds the phrase holds
the lexeme: a search asks for both (TextQuery.body), the index gives the few that cite the number, and the phrase is
checked on those only. SQLite is unchanged: FTS5 checks phrases on its own position lists.
"""

from django.db import migrations

NUMBERS = """
CREATE FUNCTION documents_number_vector(vector tsvector) RETURNS tsvector AS $$
  WITH t AS MATERIALIZED (SELECT lexeme, unnest(positions) AS p FROM unnest(vector))
  SELECT coalesce(array_to_tsvector(array_agg(DISTINCT 'fnum' || a.lexeme || b.lexeme || c.lexeme)), '')
  FROM t a JOIN t b ON b.p = a.p + 1 JOIN t c ON c.p = a.p + 2
  WHERE a.lexeme ~ '^[0-9]{1,5}$' AND length(b.lexeme) <= 20 AND length(c.lexeme) <= 20
$$ LANGUAGE sql IMMUTABLE;
"""
VECTORS = """
CREATE OR REPLACE FUNCTION documents_document_vectors() RETURNS trigger AS $$
DECLARE
  words tsvector;
BEGIN
  NEW.title_vector := to_tsvector('simple', translate(coalesce(NEW.search_head, ''), '/-._:@', '      '));
  words := setweight(NEW.title_vector, 'A')
           || to_tsvector('simple', translate(coalesce(NEW.folded_text, ''), '/-._:@', '      '));
  NEW.search_vector := words || documents_number_vector(words)
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
                       || to_tsvector('simple', translate(coalesce(NEW.folded_text, ''), '/-._:@', '      '))
                       || documents_filter_vector(NEW.type_id, NEW.issuer_id, NEW.level, NEW.status, NEW.issued_on);
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(NUMBERS)
    schema_editor.execute(VECTORS)
    schema_editor.execute("UPDATE documents_document SET search_head = search_head")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(VECTORS_BEFORE)
    schema_editor.execute("DROP FUNCTION documents_number_vector(tsvector)")
    schema_editor.execute("UPDATE documents_document SET search_head = search_head")


class Migration(migrations.Migration):
    dependencies = [("documents", "0008_newest_first_undated_last")]

    operations = [migrations.RunPython(forward, backward)]
