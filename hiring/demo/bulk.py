"""Bulk writes of demo fixture rows: PostgreSQL's COPY, ``bulk_create`` on other databases.

The demo's big tables (candidates, applications, their history...) hold hundreds of thousands
of rows at benchmark sizes. Building a model instance per row and an ``INSERT`` with a
parameter per value cost most of the seed's time on PostgreSQL; here the rows are plain
tuples and PostgreSQL reads them with one ``COPY`` per table. Columns the database computes
(generated columns such as ``Candidate.search_document``, the indexes on them) are left to it,
as with any insert.

Demo data only: no service, signal or audit entry is involved, exactly as with the
``bulk_create`` the seed used before.
"""

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models
from django.utils import timezone

from roles import fragments

BATCH = 5000  # rows per INSERT where bulk_create is used (SQLite caps the parameters itself)


def _constant_columns(model: type[models.Model], given: Sequence[str]) -> tuple[list[str], tuple]:
    """The stored columns the caller leaves out, with the value a new row gets (default, ``auto_now``,
    NULL); columns with a database default are left to the database, like generated ones."""
    now = timezone.now()
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.generated or field.has_db_default() or field.attname in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        names.append(field.attname)
        values.append(value)
    return names, tuple(values)


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple], *, pks: bool = True
) -> list[int]:
    """Insert ``rows`` (tuples of values in the order of ``columns``, attribute names such as
    ``candidate_id``) and return their new primary keys in the order of the rows (an empty list
    when ``pks`` is false). Other stored columns get their defaults; ``auto_now`` ones the time now.
    """
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _copy(model, list(columns), rows, pks=pks)
    rest, constants = _constant_columns(model, columns)
    names = [*columns, *rest]
    objects = [model(**dict(zip(names, (*row, *constants), strict=True))) for row in rows]
    model._default_manager.bulk_create(objects, batch_size=BATCH)
    return [obj.pk for obj in objects] if pks else []


def _column(field) -> str:
    assert field.column, f"{field} has no column"  # every concrete field has one
    return field.column


def _copy(model: type[models.Model], columns: list[str], rows: Sequence[tuple], *, pks: bool) -> list[int]:
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    rest, constants = _constant_columns(model, columns)
    fields = [by_attname[name] for name in [*columns, *rest]]
    # COPY's text format takes a JSON column as its JSON text.
    constants = tuple(
        json.dumps(value, cls=field.encoder) if isinstance(field, models.JSONField) else value
        for field, value in zip(fields[len(columns) :], constants, strict=True)
    )
    json_given = {
        i: field.encoder for i, field in enumerate(fields[: len(columns)]) if isinstance(field, models.JSONField)
    }
    quote = connection.ops.quote_name
    table, pk_column = meta.db_table, _column(meta.pk)
    with connection.cursor() as cursor:
        ids: list[int] = []
        target = [quote(_column(field)) for field in fields]
        if pks:
            # From the table's own sequence, so the rows the app inserts later carry on after these.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) AS id FROM generate_series(1, %s) ORDER BY id",
                [table, pk_column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            target.insert(0, quote(pk_column))
        with cursor.cursor.copy(f"COPY {quote(table)} ({', '.join(target)}) FROM STDIN") as copy:
            for index, row in enumerate(rows):
                if json_given:
                    row = tuple(
                        json.dumps(value, cls=json_given[i]) if i in json_given else value
                        for i, value in enumerate(row)
                    )
                copy.write_row((ids[index], *row, *constants) if pks else (*row, *constants))
    fragments.mark_written()  # COPY is no statement the fragment cache's watch sees
    return ids


@contextmanager
def fresh_tables(*tables: type[models.Model]) -> Iterator[None]:
    """Load empty tables the way PostgreSQL's manual advises for a bulk load: their plain indexes
    and foreign keys are dropped first and put back at the end, so each index is built once from
    sorted rows and each foreign key is checked with one query instead of one per row.

    Inside the caller's transaction, so a failure rolls the drops back too; what is put back is
    the catalog's own definition of each index and constraint, and adding a foreign key back
    checks every row. A table that already holds rows, and any database but PostgreSQL, is left
    as it is (rows then go in one at a time through the indexes, as before).
    """
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield  # outside a transaction a failure would leave the indexes dropped: load through them
        return
    empty = [model._meta.db_table for model in tables if not model._base_manager.exists()]
    if not empty:
        yield
        return
    with connection.cursor() as cursor:
        # The foreign keys are deferred: run the checks this transaction has queued so far, as
        # ALTER TABLE refuses a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
            ORDER BY 1
            """,
            [empty],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
            ORDER BY 1, 2
            """,
            [empty],
        )
        foreign_keys = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back as Django declares them (as its check_constraints does)
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # GIN builds in fewer passes
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
