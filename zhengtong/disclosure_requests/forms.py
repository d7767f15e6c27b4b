"""The application form (portal), the staff entry form (当面 / 信函 / 传真) and the office's action forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengtong.casework.forms import CaseEntryForm
from zhengtong.casework.models import Applicant, Channel
from zhengtong.disclosure_requests.models import DisclosureRequest
from zhengtong.interaction.forms import DescribedForm, LetterForm
from zhengtong.privacy.validators import validate_resident_id, validate_uscc

DESCRIPTION_HELP = _(
    "写明所需政府信息的名称、文号，或者便于查询的其他特征（如发布机关、大致时间、涉及的事项）。"
    "一份申请可以列多项信息。最多 3000 字。"
)


def _check_applicant(form: forms.Form, natural: bool, data: dict, *, mixed: bool = True) -> None:
    """Natural persons give an ID number; organisations their credit code (条例 第29条: 身份证明)."""
    if natural:
        if not data.get("id_number") and "id_number" not in form.errors:
            form.add_error("id_number", _("自然人申请请填写身份证号码。"))
        if mixed and data.get("credit_code"):
            form.add_error("credit_code", _("自然人不填统一社会信用代码；如以单位名义申请，请选择相应的组织类型。"))
    else:
        if not data.get("credit_code") and "credit_code" not in form.errors:
            form.add_error("credit_code", _("法人或其他组织申请请填写统一社会信用代码。"))
        if mixed and data.get("id_number"):
            form.add_error("id_number", _("组织申请不填身份证号码；经办人姓名请填在“联系人”。"))


class ApplicationForm(LetterForm):
    """The public form. Field names are ``Applicant``'s where they map to it; the letter form's anti-spam
    question (``hardening.forms.HumanQuestionMixin``) comes with it."""

    question_scope = "disclosure_application"

    description = forms.CharField(
        label=_("所需政府信息的描述"),
        min_length=5,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=DESCRIPTION_HELP,
    )
    provision_form = forms.ChoiceField(
        label=_("提供形式"), choices=DisclosureRequest.Form.choices, initial=DisclosureRequest.Form.EMAIL
    )
    obtain_method = forms.ChoiceField(
        label=_("获取方式"), choices=DisclosureRequest.Obtain.choices, initial=DisclosureRequest.Obtain.DOWNLOAD
    )
    fee_exemption = forms.BooleanField(label=_("申请减免费用"), required=False)
    credit_code = forms.CharField(
        label=_("统一社会信用代码（法人或其他组织）"), max_length=18, required=False, validators=[validate_uscc]
    )
    contact = forms.CharField(label=_("联系人（法人或其他组织）"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        from zhengtong.disclosure_requests.kinds import DISCLOSURE

        super().__init__(*args, kind=DISCLOSURE, **kwargs)
        for name in ("subject", "content", "publish_consent"):
            del self.fields[name]
        self.fields["kind"].label = _("申请人类型")
        self.fields["name"].label = _("姓名或名称")
        self.fields["id_number"] = forms.CharField(
            label=_("身份证号码（自然人）"), max_length=18, required=False, validators=[validate_resident_id]
        )
        for name in ("description",):
            self.fields[name].widget.attrs["required"] = True
            self.fields[name].error_messages["required"] = _("请填写“%(label)s”。") % {"label": self.fields[name].label}
        for name in self.fields:
            if self.fields[name].help_text:
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}-help"

    def clean_credit_code(self) -> str:
        return self.cleaned_data["credit_code"].strip().upper()

    def clean(self):
        data = super().clean()
        _check_applicant(self, data.get("kind") == Applicant.Kind.NATURAL, data)
        return data

    def applicant(self) -> dict:
        data = self.cleaned_data
        names = ("kind", "name", "phone", "email", "address", "id_number", "credit_code", "contact")
        return {name: data[name] for name in names}

    def application(self) -> dict:
        data = self.cleaned_data
        return {
            "description": data["description"],
            "provision_form": data["provision_form"],
            "obtain_method": data["obtain_method"],
            "fee_exemption": data["fee_exemption"],
            "lookup_password": data["lookup_password"],
            "applicant": self.applicant(),
        }


class WithdrawForm(DescribedForm):
    reason = forms.CharField(
        label=_("撤回理由（可不填）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(label=_("我确认撤回这份政府信息公开申请，撤回后本机关不再处理"))


# 政府信息公开条例 第31条: staff enter applications handed in, posted or faxed; online ones come in by themselves.
ENTRY_CHANNELS = [Channel.IN_PERSON, Channel.POST, Channel.FAX]


class StaffApplicationForm(CaseEntryForm):
    """The kernel's entry form for one kind, with the application's own fields (条例 第29条)."""

    description = forms.CharField(
        label=_("所需政府信息的描述"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        help_text=DESCRIPTION_HELP,
    )
    provision_form = forms.ChoiceField(label=_("提供形式"), choices=DisclosureRequest.Form.choices)
    obtain_method = forms.ChoiceField(label=_("获取方式"), choices=DisclosureRequest.Obtain.choices)
    fee_exemption = forms.BooleanField(label=_("申请减免费用"), required=False)

    def __init__(self, *args, user, **kwargs):
        from zhengtong.disclosure_requests.kinds import DISCLOSURE

        super().__init__(*args, user=user, **kwargs)
        for name in ("kind", "category", "subject", "content"):
            del self.fields[name]
        self.kind = DISCLOSURE
        self.fields["channel"].choices = [(c.value, c.label) for c in ENTRY_CHANNELS]
        self.fields["channel"].initial = Channel.IN_PERSON
        self.fields["signed_on"].help_text = _(
            "信函以签收之日为收到之日（条例第三十一条，计时第 0 天）；其他渠道不填。"
        )

    def clean(self):
        data = super().clean()
        # The kernel's form already refuses an ID number for an organisation and a credit code for a person.
        _check_applicant(self, data.get("applicant_kind") == Applicant.Kind.NATURAL, data, mixed=False)
        return data

    def apply_values(self) -> dict:
        """Keyword arguments for ``services.apply``."""
        data = self.cleaned_data
        return {
            "organisation": data["organisation"],
            "channel": data["channel"],
            "received_at": data["received_at"],
            # 政府信息公开条例 第31条: a letter counts from the day it was signed for (day 0).
            "received_on": data["signed_on"] if data["channel"] == Channel.POST else None,
            "description": data["description"],
            "provision_form": data["provision_form"],
            "obtain_method": data["obtain_method"],
            "fee_exemption": data["fee_exemption"],
            "lookup_password": data["lookup_password"],
            "applicant": {
                "kind": data["applicant_kind"],
                "name": data["name"].strip(),
                "id_number": data["id_number"].strip().upper(),
                "credit_code": data["credit_code"].strip().upper(),
                "contact": data["contact"].strip(),
                "phone": data["phone"],
                "email": data["email"],
                "address": data["address"].strip(),
            },
        }


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("需要补正的事项"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("一次性告知需要补正的全部事项（条例第三十条）。"),
    )
    due_on = forms.DateField(label=_("补正期限"), widget=forms.DateInput(attrs={"type": "date"}))
    day = forms.DateField(
        label=_("通知日期"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


class CorrectedForm(forms.Form):
    day = forms.DateField(
        label=_("收到补正日期"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("说明（可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConsultationForm(forms.Form):
    consulted = forms.CharField(label=_("征求意见对象（第三方或其他机关）"), max_length=200)
    day = forms.DateField(
        label=_("发出征求意见日期"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("内部说明（可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConsultationEndForm(forms.Form):
    day = forms.DateField(
        label=_("收到意见日期"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("意见摘要（可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WrittenWithdrawalForm(forms.Form):
    reason = forms.CharField(label=_("书面撤回申请的内容"), widget=forms.Textarea(attrs={"rows": 3}))
