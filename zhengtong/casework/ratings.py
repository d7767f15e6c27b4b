"""How applicants rate an answer (the RATED event's value), shared by every channel and the figures."""

from django.utils.translation import gettext_lazy as _

SATISFIED = "satisfied"
BASICALLY_SATISFIED = "basically_satisfied"
NOT_SATISFIED = "not_satisfied"

LABELS = {
    SATISFIED: _("满意"),
    BASICALLY_SATISFIED: _("基本满意"),
    NOT_SATISFIED: _("不满意"),
}
# Counted as satisfied in the satisfaction rate (满意 + 基本满意 over all rated).
CONTENT = (SATISFIED, BASICALLY_SATISFIED)
