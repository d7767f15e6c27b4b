"""POST /api/v1/cases and GET /api/v1/cases/{code}: submitting a case and looking it up (django-ninja).

Errors are JSON with a Chinese ``detail``: 422 for bad input, 404 when the code and check do not match
(never saying which), 429 past the rate limit.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as Reply

from zhengtong.casework import services
from zhengtong.casework.attachments import public_download_url
from zhengtong.casework.kinds import all_kinds, get_kind
from zhengtong.casework.models import Applicant, Channel
from zhengtong.core.models import Organisation
from zhengtong.hardening.ratelimit import over_limit

router = Router(tags=["cases"])


class ApplicantIn(Schema):
    kind: str = Field(
        "natural", description="自然人 natural；法人或其他组织：commercial research charity legal_service other"
    )
    name: str = Field(..., min_length=1, max_length=100, description="姓名或单位名称")
    id_number: str = Field("", max_length=24, description="身份证号码（自然人，可不填）")
    credit_code: str = Field("", max_length=18, description="统一社会信用代码（组织，可不填）")
    phone: str = Field("", max_length=30, description="联系电话；后 4 位用于查询")
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)


class CaseIn(Schema):
    kind: str = Field(..., description="办件类型：mailbox（县长信箱）、consultation（政务咨询）")
    category: str = Field("", description="类别，如 consult complaint suggestion help")
    organisation: str = Field(..., description="受理单位的机关代字，如 木政办")
    subject: str = Field(..., min_length=2, max_length=200)
    content: str = Field(..., min_length=5, max_length=5000, description="一件信只写一件事")
    applicant: ApplicantIn
    lookup_password: str = Field("", max_length=50, description="查询密码（不留电话时必填）")


class LookupParams(Schema):
    check: str = Field(..., min_length=1, max_length=50, description="联系电话后 4 位，或查询密码")


class CaseCreated(Schema):
    code: str = Field(description="查询码（请保存，查询时要用）")
    status: str
    received_on: dt.date
    due_on: dt.date | None
    due_provisional: bool = Field(description="期限是否暂定（该年节假日安排尚未录入）")


class AttachmentOut(Schema):
    name: str
    size: int
    url: str = Field(description="下载链接，带签名，约一小时内有效；过期后重新查询即可得到新链接")


class TimelineEntry(Schema):
    event: str
    label: str
    day: dt.date
    note: str
    attachments: list[AttachmentOut] = []


class CaseStatusOut(Schema):
    code: str
    kind: str
    subject: str
    status: str
    status_label: str
    received_on: dt.date | None
    due_on: dt.date | None
    due_provisional: bool
    organisation: str
    timeline: list[TimelineEntry]


def _messages(error: ValidationError) -> str:
    return "；".join(error.messages)  # every field's messages, in field order


@router.post("/cases", response={201: CaseCreated}, summary="提交办件（县长信箱来信、政务咨询）")
def submit_case(request, data: CaseIn):
    if over_limit(request, "submission"):
        raise HttpError(429, _("提交过于频繁，请稍后再试。"))
    try:
        kind = get_kind(data.kind)
    except LookupError:
        kinds = "、".join(k.code for k in all_kinds() if k.public_submission)
        message = _("没有这种办件类型：%(kind)s（可用：%(kinds)s）") % {"kind": data.kind, "kinds": kinds}
        raise HttpError(422, message) from None
    if not kind.public_submission:
        raise HttpError(422, _("这种办件不接受网上提交：%(kind)s") % {"kind": data.kind})
    if data.category and data.category not in kind.categories:
        raise HttpError(422, _("没有这个类别：%(category)s") % {"category": data.category})
    organisation = Organisation.objects.filter(code=data.organisation, is_active=True).first()
    if organisation is None:
        raise HttpError(422, _("没有这个受理单位：%(code)s") % {"code": data.organisation})
    if data.applicant.kind not in Applicant.Kind.values:
        raise HttpError(422, _("申请人类型无效：%(kind)s") % {"kind": data.applicant.kind})
    if not data.applicant.phone and not data.lookup_password:
        raise HttpError(422, _("请留下联系电话，或设置一个查询密码，否则以后无法查询办理结果。"))
    try:
        case = services.submit(
            kind.code,
            category=data.category,
            subject=data.subject.strip(),
            content=data.content.strip(),
            organisation=organisation,
            channel=Channel.API,
            actor_label=_("来信人"),
            lookup_password=data.lookup_password,
            applicant=data.applicant.dict(),
        )
    except ValidationError as error:
        raise HttpError(422, _messages(error)) from None
    return Reply(
        201,
        {
            "code": case.display_code,
            "status": case.status,
            "received_on": case.received_on,
            "due_on": case.due_on,
            "due_provisional": case.due_provisional,
        },
    )


@router.get("/cases/{code}", response=CaseStatusOut, summary="按查询码查询办理情况")
def case_status(request, code: str, params: Query[LookupParams]):
    if over_limit(request, "lookup"):
        raise HttpError(429, _("查询过于频繁，请稍后再试。"))
    case = services.lookup(code, params.check)
    if case is None:
        raise HttpError(404, _("查询码或校验信息不对，请核对后再试。"))
    kind = get_kind(case.kind)
    events = case.events.filter(public=True).order_by("at", "id").prefetch_related("attachments")
    return {
        "code": case.display_code,
        "kind": case.kind,
        "subject": case.subject,
        "status": case.status,
        "status_label": kind.status_label(case.status),
        "received_on": case.received_on,
        "due_on": case.due_on,
        "due_provisional": case.due_provisional,
        "organisation": case.organisation.name,
        "timeline": [
            {
                "event": e.kind,
                "label": kind.event_label(e.kind),
                "day": e.day,
                # What the applicant is told: replies and reasons; never internal notes (public events only).
                "note": e.note,
                "attachments": [
                    {"name": a.original_name, "size": a.size, "url": request.build_absolute_uri(public_download_url(a))}
                    for a in e.attachments.all()
                ],
            }
            for e in events
        ],
    }
