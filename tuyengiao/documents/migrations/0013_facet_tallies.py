"""The tallies of documents per group of facet values (models.FacetTally), kept by the database on every write.

PostgreSQL: statement triggers with transition tables, so that a bulk insert of 250 documents adds one row per
group it touches, and an update that moves no document to another group adds none. SQLite: row triggers, the
update one only when a tallied column changes. Both take the year as the searches' narrow rows do
(selectors._narrow_query). The tallies of the documents already there are written at once.
"""

# ruff: noqa: S608 (every statement is made of this module's constants)
from django.db import migrations, models

GROUP = "access, type_id, level, status, issuer_id"
COLUMNS = f"{GROUP}, year, n"
YEAR_POSTGRES = "CAST(EXTRACT(year FROM issued_on) AS integer)"
# What each event adds: +1 for each new row, -1 for each old one (a function may name only the transition tables
# that its trigger declares, so each event has its own).
ROWS_POSTGRES = {
    "insert": ("REFERENCING NEW TABLE AS new_rows", [("new_rows", 1)]),
    "update": ("REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", [("new_rows", 1), ("old_rows", -1)]),
    "delete": ("REFERENCING OLD TABLE AS old_rows", [("old_rows", -1)]),
}


def _postgres() -> tuple[list[str], list[str]]:
    forward, reverse = [], []
    for event, (referencing, sources) in ROWS_POSTGRES.items():
        rows = " UNION ALL ".join(
            f"SELECT {GROUP}, {YEAR_POSTGRES} AS year, {n} AS n FROM {table}" for table, n in sources
        )
        forward += [
            f"""
            CREATE FUNCTION documents_facet_tally_{event}() RETURNS trigger AS $$
            BEGIN
              INSERT INTO documents_facettally ({COLUMNS})
              SELECT {GROUP}, year, sum(n) FROM ({rows}) AS changed GROUP BY {GROUP}, year HAVING sum(n) <> 0;
              RETURN NULL;
            END
            $$ LANGUAGE plpgsql;
            """,
            f"""
            CREATE TRIGGER documents_facet_tally_{event} AFTER {event.upper()} ON documents_document {referencing}
            FOR EACH STATEMENT EXECUTE FUNCTION documents_facet_tally_{event}();
            """,
        ]
        reverse += [
            f"DROP TRIGGER IF EXISTS documents_facet_tally_{event} ON documents_document;",
            f"DROP FUNCTION IF EXISTS documents_facet_tally_{event}();",
        ]
    return forward, reverse


def _sqlite_values(row: str, n: int) -> str:
    return (
        f"INSERT INTO documents_facettally ({COLUMNS}) VALUES ({row}.access, {row}.type_id, {row}.level, "
        f"{row}.status, {row}.issuer_id, CAST(substr({row}.issued_on, 1, 4) AS integer), {n});"
    )


_CHANGED = " OR ".join(f"old.{column} IS NOT new.{column}" for column in (*GROUP.split(", "), "issued_on"))
SQLITE = [
    f"CREATE TRIGGER documents_facet_tally_{event} AFTER {event.upper()} ON documents_document {when} BEGIN {body} END;"
    for event, when, body in (
        ("insert", "", _sqlite_values("new", 1)),
        ("update", f"WHEN {_CHANGED}", _sqlite_values("old", -1) + " " + _sqlite_values("new", 1)),
        ("delete", "", _sqlite_values("old", -1)),
    )
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS documents_facet_tally_{event};" for event in ("insert", "update", "delete")]
POSTGRES, POSTGRES_REVERSE = _postgres()


def tally(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(statement)
    year = YEAR_POSTGRES if vendor == "postgresql" else "CAST(substr(issued_on, 1, 4) AS integer)"
    schema_editor.execute(
        f"INSERT INTO documents_facettally ({COLUMNS}) "
        f"SELECT {GROUP}, {year}, count(*) FROM documents_document GROUP BY {GROUP}, {year}"
    )


def untally(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("documents", "0012_store_changes")]

    operations = [
        migrations.CreateModel(
            name="FacetTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("access", models.CharField(max_length=10)),
                ("type_id", models.IntegerField(null=True)),
                ("level", models.CharField(max_length=20)),
                ("status", models.CharField(max_length=20)),
                ("issuer_id", models.IntegerField(null=True)),
                ("year", models.IntegerField(null=True)),
                ("n", models.IntegerField()),
            ],
            options={"verbose_name": "tally of documents", "verbose_name_plural": "tallies of documents"},
        ),
        migrations.RunPython(tally, untally),
    ]
