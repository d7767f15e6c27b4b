"""Re-encrypting stored personal data under the current key (``./zt keys rotate``).

Rows are read in primary-key order, a batch at a time, each batch in its own transaction; only values
sealed with another key are rewritten, so an interrupted run simply continues where it stopped when it
is run again, and the site keeps working meanwhile (old keys still decrypt until they are retired).
"""

from collections import Counter
from collections.abc import Callable, Iterator

from django.apps import apps
from django.db import connection, models, transaction

from zhengtong.privacy.crypto import get_provider
from zhengtong.privacy.fields import PersonalDataField


def personal_data_models() -> Iterator[tuple[type[models.Model], list[PersonalDataField]]]:
    """Every model whose table exists and holds PersonalDataFields, and those fields."""
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.proxy or model._meta.db_table not in tables:
            continue
        # local fields only: a child table of multi-table inheritance does not hold its parent's columns
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, PersonalDataField)]
        if fields:
            yield model, fields


def tokens_by_key(model: type[models.Model], fields: list[PersonalDataField]) -> dict[str, Counter]:
    """For each field, how many stored values each key id sealed (reads tokens, decrypts nothing)."""
    provider = get_provider()
    counts = {f.name: Counter() for f in fields}
    rows = model._base_manager.values_list(*(f.attname for f in fields)).iterator(chunk_size=2000)
    for row in rows:
        for field, value in zip(fields, row, strict=True):
            if value:
                counts[field.name][provider.key_id(value.token)] += 1
    return counts


def reencrypt(
    model: type[models.Model],
    fields: list[PersonalDataField],
    *,
    batch_size: int = 500,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Re-seal every value of ``fields`` not under the current key; return how many rows changed."""
    provider = get_provider()
    current = provider.current_key_id()
    names = [f.name for f in fields]
    manager = model._base_manager
    changed_rows = 0
    last_pk = None
    while True:
        with transaction.atomic():
            batch = manager.order_by("pk").only("pk", *names)
            if last_pk is not None:
                batch = batch.filter(pk__gt=last_pk)
            batch = list(batch.select_for_update()[:batch_size])
            if not batch:
                return changed_rows
            stale = [
                obj
                for obj in batch
                if any((v := getattr(obj, f.attname)) and provider.key_id(v.token) != current for f in fields)
            ]
            if stale:
                # bulk_update seals through PersonalDataField.get_db_prep_save: values already under the
                # current key keep their token, the others are decrypted and encrypted anew.
                manager.bulk_update(stale, names)
            changed_rows += len(stale)
            last_pk = batch[-1].pk
        if on_batch:
            on_batch(len(batch))


def stale_values(current_key_id: str) -> int:
    """How many stored values are sealed with a key other than ``current_key_id``."""
    return sum(
        n
        for model, fields in personal_data_models()
        for counter in tokens_by_key(model, fields).values()
        for key_id, n in counter.items()
        if key_id != current_key_id
    )
