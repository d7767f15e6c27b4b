"""Writing the audit trail: ``record()`` is the one function every module calls.

Each record carries ``mac`` = HMAC-SM3(key, canonical(record) including the previous record's MAC)
(GB/T 22239-2019 8.1.4.3 安全审计; SM3 per GB/T 39786-2021). Appends are serialised so the chain stays
linear, and the record and the chain head move in one transaction, so a rollback leaves no gap.
"""

import ipaddress
import json
from datetime import UTC
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from zhengtong.audit.keys import audit_key
from zhengtong.audit.middleware import current_request
from zhengtong.audit.models import AuditChainHead, AuditRecord

# Any fixed number: the PostgreSQL advisory lock that serialises appends to the chain.
CHAIN_LOCK_ID = 0x7A7A_A0D1
HEAD_ID = 1


def canonical_content(record: AuditRecord) -> dict[str, Any]:
    """Every field a reader relies on, as plain JSON values: what the MAC covers and what an archive keeps.

    The object type is named by ``app_label.model``, not its row id, so the chain survives moving the
    data to another database (operator's guide 7.2).
    """
    object_type = ""
    if record.object_type_id:
        ct = ContentType.objects.get_for_id(record.object_type_id)
        object_type = f"{ct.app_label}.{ct.model}"
    content = {
        "sequence": record.sequence,
        "time": record.time.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": record.actor_id,
        "actor_name": record.actor_name,
        "organisation": record.organisation_id,
        "source_address": record.source_address or "",
        "action": record.action,
        "object_type": object_type,
        "object_id": record.object_id,
        "object_repr": record.object_repr,
        "result": record.result,
        "detail": record.detail,
        "prev_mac": record.prev_mac,
    }
    return content


def canonical_bytes(content: dict[str, Any]) -> bytes:
    """The bytes the MAC covers: the content in a fixed order and encoding."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def canonical(record: AuditRecord) -> bytes:
    return canonical_bytes(canonical_content(record))


def hmac_sm3(key: bytes, data: bytes) -> str:
    h = hmac.HMAC(key, hashes.SM3())
    h.update(data)
    return h.finalize().hex()


def compute_mac(record: AuditRecord, key: bytes | None = None) -> str:
    """Hex HMAC-SM3 of the record's canonical form."""
    return hmac_sm3(key or audit_key(), canonical(record))


def client_address(request: HttpRequest | None) -> str | None:
    """The address the request came from.

    ``X-Forwarded-For`` is read only when ``ZT_TRUST_PROXY`` says a reverse proxy (nginx) sets it, and
    then only its last entry, the one nginx itself appended; the entries before it are whatever the client
    chose to send. Otherwise ``REMOTE_ADDR``.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "ZT_TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            address = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _plain_json(value: Any) -> Any:
    # What is stored must be exactly what was MACed: round-trip through JSON (dates etc. become strings).
    return json.loads(json.dumps(value if value is not None else {}, default=str, ensure_ascii=False))


def _lock_head() -> AuditChainHead:
    """Take the chain head for this transaction; concurrent appenders wait here."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])
    # SQLite: the settings open every transaction IMMEDIATE, so the writer lock is already held.
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is None:
        head = AuditChainHead.objects.create(pk=HEAD_ID)
    return head


def record(
    action: str,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    result: str = AuditRecord.Result.SUCCESS,
    detail: dict | None = None,
) -> AuditRecord:
    """Append one event to the audit trail and return it.

    ``action`` is a short code (``auth.login``, ``page.publish``); ``actor`` defaults to the request's
    logged-in user; ``result`` is ``success``, ``failure`` or ``denied``; ``detail`` is JSON-able and must
    never hold a password or a secret. Called inside a transaction, the record is kept only if that
    transaction commits, and appends from other transactions wait until it ends.
    """
    if request is None:
        request = current_request()  # a signal's event inside a request: still who and from where
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if result not in AuditRecord.Result.values:
        raise ValueError(f"unknown audit result {result!r}")
    entry = AuditRecord(
        action=action,
        result=result,
        detail=_plain_json(detail),
        source_address=client_address(request),
    )
    if actor is not None and getattr(actor, "pk", None) is not None:
        entry.actor_id = actor.pk
        entry.actor_name = actor.get_username()[:150]
        entry.organisation_id = getattr(actor, "organisation_id", None)
    if obj is not None:
        entry.object_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)[:64]
        entry.object_repr = str(obj)[:255]
    key = audit_key()
    with transaction.atomic():
        head = _lock_head()
        entry.sequence = head.sequence + 1
        entry.prev_mac = head.mac
        entry.time = timezone.now()
        entry.mac = compute_mac(entry, key)
        entry.save(force_insert=True)
        AuditChainHead.objects.filter(pk=HEAD_ID).update(sequence=entry.sequence, mac=entry.mac)
    return entry
