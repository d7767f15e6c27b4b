"""POST /api/v1/cases/{code}/rating: the writer rates the reply and may ask once for it to be handled again."""

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from zhengtong.casework import services as casework
from zhengtong.casework.workflow import Rating
from zhengtong.hardening.ratelimit import over_limit
from zhengtong.interaction import services

router = Router(tags=["cases"])


class RatingIn(Schema):
    check: str = Field(..., min_length=1, max_length=50, description="联系电话后 4 位，或查询密码")
    rating: str = Field(..., description="satisfied（满意）、basically_satisfied（基本满意）、not_satisfied（不满意）")
    comment: str = Field("", max_length=500)
    reopen: bool = Field(False, description="不满意时申请重新办理（只能一次）")
    reason: str = Field("", max_length=1000, description="申请重新办理的理由（reopen 时必填）")


class RatingOut(Schema):
    code: str
    status: str
    rating: str
    rating_label: str
    reopened: int


@router.post("/cases/{code}/rating", response=RatingOut, summary="评价答复，不满意时可申请重新办理一次")
def rate_case(request, code: str, data: RatingIn):
    # Counted with lookups: each call tries a code and a check.
    if over_limit(request, "lookup"):
        raise HttpError(429, _("查询过于频繁，请稍后再试。"))
    case = casework.lookup(code, data.check)
    if case is None:
        raise HttpError(404, _("查询码或校验信息不对，请核对后再试。"))
    try:
        services.rate(case, data.rating, comment=data.comment, reopen=data.reopen, reason=data.reason)
    except services.InteractionError as error:
        raise HttpError(422, str(error)) from None
    case.refresh_from_db()
    return {
        "code": case.display_code,
        "status": case.status,
        "rating": data.rating,
        "rating_label": str(Rating.LABELS[data.rating]),
        "reopened": case.reopened,
    }
