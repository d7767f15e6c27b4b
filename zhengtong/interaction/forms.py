"""Forms of the public pages (write, look up, rate) and of the staff publication page."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.casework.kinds import CaseKind
from zhengtong.casework.models import Applicant
from zhengtong.casework.workflow import Rating
from zhengtong.hardening.forms import HumanQuestionMixin

# Mobile numbers, or landlines with an area code and optional extension; spaces and dashes allowed.
PHONE_RE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}\d{7,8}(?:\d{1,6})?)$")


class DescribedForm(forms.Form):
    """Inputs point at their help text and errors (``_field.html`` renders them with these ids)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-help"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                described = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = f"{described} id_{name}-errors".strip()
                widget.attrs["aria-invalid"] = "true"


class LetterForm(HumanQuestionMixin, DescribedForm):
    """Writing a letter (or a consultation). Field names are ``Applicant``'s where they map to it; the
    anti-spam question (HumanQuestionMixin) comes last."""

    question_scope = "letter"

    category = forms.ChoiceField(label=_("来信类型"), widget=forms.RadioSelect)
    subject = forms.CharField(label=_("标题"), min_length=2, max_length=100)
    content = forms.CharField(
        label=_("内容"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("一封信只写一件事：时间、地点、经过和您的诉求，写得越具体，办理越快。最多 5000 字。"),
    )
    kind = forms.ChoiceField(label=_("来信人类型"), choices=Applicant.Kind.choices, initial=Applicant.Kind.NATURAL)
    name = forms.CharField(label=_("姓名或单位名称"), max_length=100)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        help_text=_("手机或带区号的固定电话。电话号码后 4 位用于查询办理结果。"),
    )
    email = forms.EmailField(label=_("电子邮箱（可不填）"), required=False)
    address = forms.CharField(label=_("通信地址（可不填）"), max_length=200, required=False)
    id_number = forms.CharField(label=_("身份证号码（可不填）"), max_length=18, required=False)
    lookup_password = forms.CharField(
        label=_("查询密码（可不填）"),
        max_length=50,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("不留电话时必须设置，查询办理结果时代替电话后 4 位使用。至少 6 位。"),
    )
    publish_consent = forms.BooleanField(
        label=_("同意在“公开信件”中公开本信及答复（隐去姓名、电话等个人信息）"), required=False, initial=False
    )

    def __init__(self, *args, kind: CaseKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(kind.categories.items())
        if len(kind.categories) == 1:
            only = next(iter(kind.categories))
            self.fields["category"].initial = only
            self.fields["category"].widget = forms.HiddenInput()
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["required"] = True
                field.error_messages["required"] = _("请填写“%(label)s”。") % {"label": field.label}

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = re.sub(r"[\s-]", "", phone)
        if digits and not PHONE_RE.match(digits):
            raise forms.ValidationError(_("电话号码格式不对：手机请填 11 位号码，固定电话请加区号，如 0994-4822123。"))
        return digits

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"].strip().upper()

    def clean_lookup_password(self) -> str:
        password = self.cleaned_data["lookup_password"]
        if password and len(password) < 6:
            raise forms.ValidationError(_("查询密码至少 6 位。"))
        return password

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("lookup_password") and "phone" not in self.errors:
            self.add_error("phone", _("请留下联系电话，或设置一个查询密码，否则以后无法查询办理结果。"))
        return data

    def applicant(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("kind", "name", "phone", "email", "address", "id_number")}


class LookupForm(DescribedForm):
    # Named so the rate-limit challenge page carries the code and asks for the check again (never echoed).
    tracking_code = forms.CharField(
        label=_("查询码"), max_length=30, help_text=_("提交时页面上显示的 12 位查询码，如 7KQM-3XD9-PA4F。")
    )
    check_secret = forms.CharField(
        label=_("电话号码后 4 位或查询密码"),
        max_length=50,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("您对答复的评价"), choices=list(Rating.LABELS.items()), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见（可不填）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reopen = forms.BooleanField(label=_("我对答复不满意，申请重新办理（只能申请一次）"), required=False)
    reason = forms.CharField(
        label=_("申请重新办理的理由"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("申请重新办理的理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class PublicationForm(forms.Form):
    subject = forms.CharField(label=_("公开标题"), max_length=200)
    content = forms.CharField(label=_("公开的来信内容"), widget=forms.Textarea(attrs={"rows": 10}))
    reply = forms.CharField(label=_("公开的答复内容"), widget=forms.Textarea(attrs={"rows": 10}))
