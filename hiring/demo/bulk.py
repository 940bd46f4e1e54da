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
from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone

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
    return ids
