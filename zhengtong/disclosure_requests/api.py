"""POST /api/v1/disclosure/applications: an application for government information (django-ninja).

Errors are JSON with a Chinese ``detail``: 422 for bad input, 429 past the rate limit. The application is
received the moment this answers 201 (政府信息公开条例 第31条: online, the day the system confirms it).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as Reply

from zhengtong.casework.api import ApplicantIn
from zhengtong.casework.models import Applicant, Channel
from zhengtong.core.models import Organisation
from zhengtong.disclosure_requests import services
from zhengtong.disclosure_requests.models import DisclosureRequest
from zhengtong.hardening.ratelimit import over_limit
from zhengtong.privacy.validators import validate_resident_id, validate_uscc

router = Router(tags=["disclosure"])


class ApplicationIn(Schema):
    organisation: str = Field(..., description="受理机关的机关代字，如 木政办")
    description: str = Field(
        ..., min_length=5, max_length=3000, description="所需政府信息的名称、文号或者便于查询的其他特征性描述"
    )
    provision_form: str = Field("email", description="提供形式：paper 纸质、email 电子邮件、disc 光盘、other 其他")
    obtain_method: str = Field(
        "download", description="获取方式：post 邮寄、pick_up 自行领取、email 电子邮件、download 网上下载"
    )
    fee_exemption: bool = Field(False, description="申请减免费用")
    applicant: ApplicantIn
    contact: str = Field("", max_length=50, description="联系人（法人或其他组织）")
    lookup_password: str = Field("", max_length=50, description="查询密码（不留电话时必填）")


class ApplicationCreated(Schema):
    code: str = Field(description="查询码（请保存，查询时要用）")
    status: str
    received_on: dt.date
    due_on: dt.date | None
    due_provisional: bool


def _check(data: ApplicationIn) -> None:
    if data.provision_form not in DisclosureRequest.Form.values:
        raise HttpError(422, _("提供形式无效：%(v)s") % {"v": data.provision_form})
    if data.obtain_method not in DisclosureRequest.Obtain.values:
        raise HttpError(422, _("获取方式无效：%(v)s") % {"v": data.obtain_method})
    person = data.applicant
    if person.kind not in Applicant.Kind.values:
        raise HttpError(422, _("申请人类型无效：%(kind)s") % {"kind": person.kind})
    try:
        if person.kind == Applicant.Kind.NATURAL:
            if not person.id_number:
                raise HttpError(422, _("自然人申请请填写身份证号码。"))
            validate_resident_id(person.id_number.strip().upper())
        else:
            if not person.credit_code:
                raise HttpError(422, _("法人或其他组织申请请填写统一社会信用代码。"))
            validate_uscc(person.credit_code.strip().upper())
    except ValidationError as error:
        raise HttpError(422, "；".join(error.messages)) from None
    if not person.phone and not data.lookup_password:
        raise HttpError(422, _("请留下联系电话，或设置一个查询密码，否则以后无法查询办理结果。"))


@router.post(
    "/disclosure/applications", response={201: ApplicationCreated}, summary="提交政府信息公开申请（依申请公开）"
)
def submit_application(request, data: ApplicationIn):
    if over_limit(request, "submission"):
        raise HttpError(429, _("提交过于频繁，请稍后再试。"))
    organisation = Organisation.objects.filter(code=data.organisation, is_active=True).first()
    if organisation is None:
        raise HttpError(422, _("没有这个受理机关：%(code)s") % {"code": data.organisation})
    _check(data)
    applicant = data.applicant.dict()
    natural = applicant["kind"] == Applicant.Kind.NATURAL
    applicant.update(
        id_number=applicant["id_number"].strip().upper() if natural else "",
        credit_code="" if natural else applicant["credit_code"].strip().upper(),
        contact=data.contact.strip(),
    )
    try:
        case = services.apply(
            organisation=organisation,
            description=data.description,
            applicant=applicant,
            channel=Channel.API,
            provision_form=data.provision_form,
            obtain_method=data.obtain_method,
            fee_exemption=data.fee_exemption,
            lookup_password=data.lookup_password,
        )
    except ValidationError as error:
        raise HttpError(422, "；".join(error.messages)) from None
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
