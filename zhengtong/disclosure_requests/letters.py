"""The reply letter (政府信息公开申请答复告知书) as a PDF, stored with the reply event.

Made when a disclosure case's REPLIED event is stored (kernel signal ``case_event_stored``, inside the same
transaction: no reply goes out without its letter). The letter names the office, the application (code, date),
the applicant, the decision with its legal basis (``outcomes.basis``), what is disclosed or where it is already
public, the date and the remedies: 行政复议 within 60 days (行政复议法 第20条) or a lawsuit within 6 months
(行政诉讼法 第46条), with the review authority and the court the office's ``DisclosureOffice`` names.
"""

import hashlib
from datetime import date

from django.core.files.base import ContentFile
from django.dispatch import receiver
from django.utils.translation import gettext as _

from zhengtong.casework.models import CaseAttachment, CaseEvent
from zhengtong.casework.signals import case_event_stored
from zhengtong.casework.workflow import Event
from zhengtong.core.pdf import Document
from zhengtong.disclosure_requests import outcomes
from zhengtong.disclosure_requests.kinds import DISCLOSURE

LAW = "《中华人民共和国政府信息公开条例》"
REVIEW_DAYS = 60  # 中华人民共和国行政复议法 第20条
LAWSUIT_MONTHS = 6  # 中华人民共和国行政诉讼法 第46条


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"  # GB/T 9704: Arabic numerals, no zero padding


def office_of(case) -> dict:
    """The office's name, review authority and court (DisclosureOffice), with wording that still reads when unset."""
    from zhengtong.disclosure.models import DisclosureOffice

    office = DisclosureOffice.objects.filter(organisation_id=case.organisation_id).first()
    return {
        "organisation": case.organisation.name,
        "name": office.name if office else case.organisation.name,
        "address": office.address if office else "",
        "phone": office.phone if office else "",
        "review_authority": (office.review_authority if office else "") or _("本机关的上一级行政机关"),
        "court": (office.court if office else "") or _("有管辖权的人民法院"),
    }


def decision_text(outcome_code: str) -> str:
    outcome = outcomes.get_outcome(outcome_code)
    _number, group_label = outcomes.GROUPS[outcome.group]
    words = str(group_label).split("（")[0]
    if outcome.label:
        words = f"{words}（{str(outcome.label).split('.', 1)[-1]}）"
    return words


def basis_text(outcome_code: str) -> str:
    basis = outcomes.get_outcome(outcome_code).basis
    return _("根据%(law)s%(article)s的规定") % {"law": LAW, "article": basis} if basis else ""


def letter_pdf(case, event: CaseEvent) -> bytes:
    """The reply letter for ``case`` replied by ``event``."""
    from zhengtong.disclosure_requests.services import details

    request = details(case)
    office = office_of(case)
    applicant = getattr(case, "applicant", None)
    name = applicant.name.reveal() if applicant is not None and applicant.name else _("申请人")
    received = case.received_on or event.day
    doc = Document(_("政府信息公开申请答复告知书"), author=office["organisation"])
    doc.title_block(_("政府信息公开申请答复告知书"))
    doc.paragraph(_("查询码：%(code)s") % {"code": case.display_code}, indent=False, align="R", size=12)
    doc.paragraph(f"{name}：", indent=False)
    doc.paragraph(
        _("本机关于%(day)s收到您（单位）提出的政府信息公开申请（查询码 %(code)s），申请获取：%(what)s。")
        % {"day": cn_date(received), "code": case.display_code, "what": request.description}
    )
    basis = basis_text(event.outcome)
    decision = decision_text(event.outcome)
    doc.paragraph(
        _("经审查，%(basis)s，现答复如下：%(decision)s。") % {"basis": basis or _("依照有关规定"), "decision": decision}
    )
    if event.note:
        doc.paragraph(event.note)
    if request.where_public:
        doc.paragraph(_("该信息已经主动公开，您可以通过以下途径获取：%(where)s。") % {"where": request.where_public})
    files = [attachment.original_name for attachment in event.attachments.all()]
    if event.outcome in ("public", "partial"):
        doc.paragraph(
            _("提供形式：%(form)s；获取方式：%(way)s。凭查询码和校验信息可在网站“依申请公开”页面下载答复附件。")
            % {"form": request.get_provision_form_display(), "way": request.get_obtain_method_display()}
        )
    if files:
        doc.paragraph(_("附件：%(files)s") % {"files": "、".join(files)})
    doc.paragraph(_("依照%(law)s第四十二条，本机关提供政府信息不收取费用。") % {"law": LAW})
    doc.paragraph(
        _(
            "如对本答复不服，可以自收到本告知书之日起%(days)s日内向%(authority)s申请行政复议（《中华人民共和国"
            "行政复议法》第二十条），或者自收到本告知书之日起%(months)s个月内向%(court)s提起行政诉讼"
            "（《中华人民共和国行政诉讼法》第四十六条）。"
        )
        % {
            "days": REVIEW_DAYS,
            "authority": office["review_authority"],
            "months": LAWSUIT_MONTHS,
            "court": office["court"],
        }
    )
    contact = "；".join(
        part
        for part in (
            _("地址：%(a)s") % {"a": office["address"]} if office["address"] else "",
            _("电话：%(p)s") % {"p": office["phone"]} if office["phone"] else "",
        )
        if part
    )
    if contact:
        doc.paragraph(_("联系方式：%(contact)s") % {"contact": contact})
    doc.signature(office["name"], cn_date(event.day))
    return doc.to_bytes()


def letter_name(case) -> str:
    return f"答复告知书-{case.display_code}.pdf"


def store_letter(event: CaseEvent) -> None:
    """Make the letter and attach it to the reply event (the applicant downloads it with the reply)."""
    case = event.case
    data = letter_pdf(case, event)
    attachment = CaseAttachment(
        event=event,
        original_name=letter_name(case),
        size=len(data),
        content_type="application/pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=event.actor,
    )
    attachment.file.save(letter_name(case), ContentFile(data), save=False)
    attachment.save()


@receiver(case_event_stored, dispatch_uid="zt_disclosure_reply_letter")
def on_event_stored(sender, event: CaseEvent, **kwargs) -> None:
    if event.kind == Event.REPLIED and event.case.kind == DISCLOSURE.code:
        store_letter(event)


def letter_of(case) -> CaseAttachment | None:
    return (
        CaseAttachment.objects.filter(event__case=case, event__kind=Event.REPLIED, content_type="application/pdf")
        .filter(original_name=letter_name(case))
        .order_by("-id")
        .first()
    )
