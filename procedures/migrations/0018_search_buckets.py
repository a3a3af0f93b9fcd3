"""The search copy's words again, each tagged with its row's bucket of 4 096 ids (PostgreSQL only; issue 25 §4).

A search reads the index's list of its rarest word before its first row. The generated catalogues draw their
words from fixed lists, so a common word is in the same share of the rows at any size: "phép" in 14 %, a list
of 1 412 rows at 10 000 procedures and of 14 323 at 100 000, read whole for the first 101 matches. Tagged with
the bucket (`id >> 12`), the same word has one list per bucket ("3|phep"): a search of common words asks the
buckets in order and stops at the bucket that completes its 101 candidates, so it reads one bucket's lists at any
size of the catalogue (procedures.selectors.search._candidates_sql). A search of rare words keeps reading the
untagged vector, whose short lists are cheaper than asking every bucket.

The same trigger as migration 0017 writes the column in the same transaction as the procedure.
"""

from django.db import migrations

TABLE = "procedures_searchrow"
COLUMNS = ("id", "is_active", "online_level", "field_id", "popularity", "search_vector", "levels", "code",
           "national_code", "name_folded", "name")


def _write_function(bucketed: bool) -> str:
    columns, values = list(COLUMNS), [f"NEW.{column}" for column in COLUMNS]
    if bucketed:
        columns.append("bucket_vector")
        values.append("procedures_search_bucketed(NEW.id, NEW.search_vector)")
    return f"""
CREATE OR REPLACE FUNCTION procedures_searchrow_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM {TABLE} WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    INSERT INTO {TABLE} ({", ".join(columns)})
    VALUES ({", ".join(values)})
    ON CONFLICT (id) DO UPDATE SET {", ".join(f"{column} = EXCLUDED.{column}" for column in columns[1:])};
    RETURN NULL;
END $$;
"""


CREATE = f"""
CREATE OR REPLACE FUNCTION procedures_search_bucketed(id bigint, words tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg((id >> 12)::text || '|' || w.lexeme)), ''::tsvector)
    FROM unnest(words) w
$$;
ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS bucket_vector tsvector;
{_write_function(bucketed=True)}
UPDATE {TABLE} SET bucket_vector = procedures_search_bucketed(id, search_vector);
CREATE INDEX IF NOT EXISTS procedures_searchrow_bucket_fts ON {TABLE} USING gin (bucket_vector)
    WITH (fastupdate = off);
ANALYZE {TABLE};
"""

DROP = f"""
{_write_function(bucketed=False)}
DROP INDEX IF EXISTS procedures_searchrow_bucket_fts;
ALTER TABLE {TABLE} DROP COLUMN IF EXISTS bucket_vector;
DROP FUNCTION IF EXISTS procedures_search_bucketed(bigint, tsvector);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0017_search_rows")]
    operations = [migrations.RunPython(create, drop)]
