"""Stored, weighted full-text vectors with GIN indexes for search (PostgreSQL only).

The database keeps each vector up to date itself (STORED generated columns), so no code path
can forget to. The columns are not model fields: only `icp_secretariat.lib.fulltext` reads them,
by name, and only on PostgreSQL. On SQLite (the demo) this migration does nothing and search
falls back to a plain scan.
"""

from django.db import migrations

# (table, column, expression, index name)
VECTORS = [
    (
        "meetings_paper",
        "search_vector",
        "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'C')",
        "meetings_paper_search_gin",
    ),
    (
        "meetings_agendaitem",
        "search_vector",
        "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')",
        "meetings_agendaitem_search_gin",
    ),
    (
        # A Part 2 line whose reader may not read it is searched by its public description only.
        "meetings_agendaitem",
        "public_vector",
        "setweight(to_tsvector('english'::regconfig, coalesce(public_description, '')), 'A')",
        "meetings_agendaitem_public_gin",
    ),
    (
        "meetings_decision",
        "search_vector",
        "setweight(to_tsvector('english'::regconfig, coalesce(number, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, coalesce(public_summary, '')), 'B') || "
        "setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'C')",
        "meetings_decision_search_gin",
    ),
    (
        # What a reader who may not read the decision in full searches: its public summary.
        "meetings_decision",
        "summary_vector",
        "setweight(to_tsvector('english'::regconfig, coalesce(number, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, coalesce(public_summary, '')), 'B')",
        "meetings_decision_summary_gin",
    ),
    (
        # Minutes: every section (for readers of Part 2) ...
        "meetings_minutes",
        "search_vector",
        "setweight(to_tsvector('english'::regconfig, meetings_minutes_text(sections, '{1,2}')),"
        " 'B')",
        "meetings_minutes_search_gin",
    ),
    (
        # ... and the Part 1 sections only (for everyone else).
        "meetings_minutes",
        "public_vector",
        "setweight(to_tsvector('english'::regconfig, meetings_minutes_text(sections, '{1}')), 'B')",
        "meetings_minutes_public_gin",
    ),
    (
        "meetings_keymessages",
        "search_vector",
        "setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'B')",
        "meetings_keymessages_search_gin",
    ),
]

# The minutes' headings and text of the sections of `parts`, as one string: the same text the
# search headline is taken from (`public_site.publications_record._sections_text`).
MINUTES_TEXT = """
CREATE OR REPLACE FUNCTION meetings_minutes_text(sections jsonb, parts int[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE((
    SELECT string_agg(COALESCE(s->>'heading', '') || E'\\n' || COALESCE(s->>'text', ''),
                      E'\\n\\n')
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(sections) = 'array'
                                   THEN sections ELSE '[]'::jsonb END) AS s
    WHERE COALESCE(NULLIF(s->>'part', ''), '1')::int = ANY(parts)
  ), '')
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(MINUTES_TEXT)
    for table, column, expression, index in VECTORS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({column})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, _expression, index in VECTORS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")
    schema_editor.execute("DROP FUNCTION IF EXISTS meetings_minutes_text(jsonb, int[])")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0009_agendaitem_part2_review_date_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
