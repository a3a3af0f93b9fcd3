"""The search's own narrow copy of each procedure's searched columns (PostgreSQL only; issue 25 §4).

A search reads its candidates' rows: at 100 000 procedures each row of procedures_procedure holds its long
texts inline (about 1.9 kB: steps, conditions, legal basis…) and the table (189 MB) no longer fits the
shared buffers, so the 100 to 2 000 rows a search reads each cost a page of their own. This table holds only
what the search filters and ranks on (about 0.7 kB a row, 71 MB at 100 000): in-process, the search statement
cost the database 1.7 ms of CPU a search at 100 000 procedures and 1.1 ms on the copy (0.86 and 0.72 ms at
10 000).

A trigger keeps it: every insert, update, delete or truncate of procedures_procedure, whichever write path
made it (the ORM, bulk_update, an import's SQL), writes the copy in the same transaction, so no reader ever
sees the two disagree. Django does not know the table; procedures.selectors.search reads it.
"""

from django.db import migrations

TABLE = "procedures_searchrow"
# Fixed-width columns first, then the vector every candidate is checked on: fewer bytes walked to reach it.
COLUMNS = ("id", "is_active", "online_level", "field_id", "popularity", "search_vector", "levels", "code",
           "national_code", "name_folded", "name")

CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id bigint PRIMARY KEY,
    is_active boolean NOT NULL,
    online_level smallint NOT NULL,
    field_id bigint NOT NULL,
    popularity double precision NOT NULL,
    search_vector tsvector,
    levels varchar(40) NOT NULL,
    code varchar(30) NOT NULL,
    national_code varchar(8) NOT NULL,
    name_folded varchar(1600) NOT NULL,
    name varchar(1500) NOT NULL
);
CREATE OR REPLACE FUNCTION procedures_searchrow_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM {TABLE} WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    INSERT INTO {TABLE} ({", ".join(COLUMNS)})
    VALUES ({", ".join(f"NEW.{column}" for column in COLUMNS)})
    ON CONFLICT (id) DO UPDATE SET {", ".join(f"{column} = EXCLUDED.{column}" for column in COLUMNS[1:])};
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION procedures_searchrow_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE {TABLE};
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS procedures_searchrow_write ON procedures_procedure;
CREATE TRIGGER procedures_searchrow_write AFTER INSERT OR UPDATE OR DELETE ON procedures_procedure
    FOR EACH ROW EXECUTE FUNCTION procedures_searchrow_write();
DROP TRIGGER IF EXISTS procedures_searchrow_truncate ON procedures_procedure;
CREATE TRIGGER procedures_searchrow_truncate AFTER TRUNCATE ON procedures_procedure
    FOR EACH STATEMENT EXECUTE FUNCTION procedures_searchrow_truncate();
INSERT INTO {TABLE} ({", ".join(COLUMNS)})
    SELECT {", ".join(COLUMNS)} FROM procedures_procedure ON CONFLICT (id) DO NOTHING;
CREATE INDEX IF NOT EXISTS procedures_searchrow_fts ON {TABLE} USING gin (search_vector) WITH (fastupdate = off);
ANALYZE {TABLE};
"""

DROP = f"""
DROP TRIGGER IF EXISTS procedures_searchrow_write ON procedures_procedure;
DROP TRIGGER IF EXISTS procedures_searchrow_truncate ON procedures_procedure;
DROP FUNCTION IF EXISTS procedures_searchrow_write();
DROP FUNCTION IF EXISTS procedures_searchrow_truncate();
DROP TABLE IF EXISTS {TABLE};
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0016_procedure_national_login_loa")]
    operations = [migrations.RunPython(create, drop)]
