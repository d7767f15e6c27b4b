"""Walking the audit chain: the first record changed, deleted or inserted (GB/T 22239-2019 安全审计)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit.keys import audit_key
from zhengtong.audit.models import AuditChainHead, AuditRecord
from zhengtong.audit.services import HEAD_ID, compute_mac

CHUNK = 1000


@dataclass(frozen=True)
class ChainStatus:
    intact: bool
    checked: int  # records whose MAC was recomputed
    message: str  # Chinese, one line, for the operator
    sequence: int | None = None  # the first record found wrong (or where a gap starts)


def _records_after(sequence: int) -> Iterator[AuditRecord]:
    """Records in sequence order, read in chunks so memory stays bounded on any chain length."""
    while True:
        chunk = list(AuditRecord.objects.filter(sequence__gt=sequence).order_by("sequence")[:CHUNK])
        yield from chunk
        if len(chunk) < CHUNK:
            return
        sequence = chunk[-1].sequence


def verify_chain(last: int | None = None) -> ChainStatus:
    """Recompute every MAC in sequence order and compare each record's link with its predecessor.

    ``last``: check only the newest ``last`` records (the admin screen, bounded); the first of them is
    trusted to link to what lies before. ``None`` checks the whole chain from its base.
    """
    key = audit_key()
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first() or AuditChainHead(pk=HEAD_ID)
    archived = ""
    if last is not None and head.sequence - last > head.base_sequence:
        start = head.sequence - last
        anchor = AuditRecord.objects.filter(sequence=start).only("mac").first()
        expected_mac = anchor.mac if anchor else None
    else:
        start = head.base_sequence
        expected_mac = head.base_mac
        if last is None and head.base_sequence:
            # The chain starts at an archived boundary: it counts only if a sealed archive file ends there.
            from zhengtong.audit.archive import verify_boundary

            boundary = verify_boundary(head.base_sequence, head.base_mac)
            if not boundary.intact:
                return ChainStatus(False, 0, boundary.message, head.base_sequence)
            archived = _("；第 %(last)d 号及之前的记录已归档，链从归档边界接续（最近的归档文件：%(file)s）") % {
                "last": head.base_sequence,
                "file": boundary.path.name if boundary.path else "",
            }
    expected = start + 1
    checked = 0
    for rec in _records_after(start):
        if rec.sequence > head.sequence:
            return ChainStatus(
                False,
                checked,
                _("第 %(n)d 号记录不是经平台写入的（序号超出链尾 %(head)d）：记录被插入。")
                % {"n": rec.sequence, "head": head.sequence},
                rec.sequence,
            )
        if compute_mac(rec, key) != rec.mac:
            return ChainStatus(
                False,
                checked,
                _("第 %(n)d 号记录（%(time)s，%(action)s）的校验码不符：记录被修改，或是伪造后插入的。")
                % {
                    "n": rec.sequence,
                    "time": f"{timezone.localtime(rec.time):%Y-%m-%d %H:%M:%S}",
                    "action": rec.action,
                },
                rec.sequence,
            )
        if rec.sequence != expected:
            return ChainStatus(
                False,
                checked,
                (
                    _("第 %(first)d 号记录缺失：记录被删除。")
                    if rec.sequence == expected + 1
                    else _("第 %(first)d 至 %(last)d 号记录缺失：记录被删除。")
                )
                % {"first": expected, "last": rec.sequence - 1},
                expected,
            )
        if expected_mac is not None and rec.prev_mac != expected_mac:
            return ChainStatus(
                False,
                checked,
                _("第 %(n)d 号记录与前一条记录接不上：前一条记录被删除或替换。") % {"n": rec.sequence},
                rec.sequence,
            )
        expected_mac = rec.mac
        expected += 1
        checked += 1
    if expected - 1 != head.sequence or (head.sequence and expected_mac != head.mac):
        return ChainStatus(
            False,
            checked,
            _("链尾应为第 %(head)d 号记录，实际只到第 %(n)d 号：最后的记录被删除。")
            % {"head": head.sequence, "n": expected - 1},
            expected,
        )
    return ChainStatus(True, checked, _("审计记录链完整：%(n)d 条") % {"n": checked} + archived)
