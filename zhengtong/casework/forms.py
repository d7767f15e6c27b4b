"""The forms staff use to move a case: one small form per kind of event."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengtong.casework import access, attachments, hotline
from zhengtong.casework.kinds import HOTLINE, all_kinds, get_kind
from zhengtong.casework.models import Applicant, Case, Channel
from zhengtong.casework.workflow import ALLOWED, CallBack, Event, Rating, Status
from zhengtong.core.models import Organisation, User
from zhengtong.hardening.uploads import allowed_text
from zhengtong.privacy.validators import validate_resident_id, validate_uscc

# Events staff record in the workspace, in the order their forms are offered. Receipt comes from
# submission; rating comes from the applicant (staff record it for phone callers through 回访).
STAFF_EVENTS = [
    Event.ACCEPTED,
    Event.CLASSIFIED,
    Event.ASSIGNED,
    Event.REPLY_DRAFTED,
    Event.REPLIED,
    Event.REPLY_RETURNED,
    Event.TRANSFERRED,
    Event.PAUSED,
    Event.RESUMED,
    Event.EXTENDED,
    Event.REJECTED,
    Event.ROUTED,
    Event.CLOSED,
    Event.CALLED_BACK,
    Event.RATED,
    Event.REMINDED,
    Event.SUPERVISED,
    Event.REOPENED,
    Event.WITHDRAWN,
    Event.NOTE,
]
# What an office that only follows a case it does not hold (the registering office, a supervisor) records.
FOLLOW_UP = {Event.REMINDED, Event.SUPERVISED, Event.NOTE}
# Hotline orders, in the order offered: the operators' steps and the department's (DOMAIN.md §4).
HOTLINE_ACTIONS = [
    hotline.DISPATCH,
    hotline.ANSWER,
    Event.ASSIGNED,
    Event.REPLIED,
    hotline.RETURN,
    Event.PAUSED,
    Event.RESUMED,
    Event.EXTENDED,
    Event.CLOSED,
    Event.CALLED_BACK,
    Event.RATED,
    Event.REMINDED,
    Event.SUPERVISED,
    Event.REOPENED,
    Event.REJECTED,
    Event.WITHDRAWN,
    Event.NOTE,
]
HOTLINE_OPERATOR = {Event.CLOSED, Event.CALLED_BACK, Event.RATED, Event.REOPENED, Event.REJECTED, Event.WITHDRAWN}
HOTLINE_DEPARTMENT = {Event.ASSIGNED, Event.REPLIED, Event.PAUSED, Event.RESUMED, Event.EXTENDED}
NOTE_REQUIRED = {
    Event.REJECTED,
    Event.ROUTED,
    Event.TRANSFERRED,
    Event.PAUSED,
    Event.EXTENDED,
    Event.REPLY_DRAFTED,
    Event.REPLY_RETURNED,
    Event.REMINDED,
    Event.SUPERVISED,
    Event.CALLED_BACK,
    Event.NOTE,
    Event.WITHDRAWN,
    Event.REOPENED,
    hotline.RETURN,
    hotline.ANSWER,
}
NOTE_LABELS = {
    Event.REJECTED: _("不予受理的理由（会告知来信人）"),
    Event.ROUTED: _("转往何处、为什么（如：属信访事项，转县信访局）"),
    Event.TRANSFERRED: _("转办理由"),
    Event.PAUSED: _("暂停计时的原因（如：等待来信人补充材料）"),
    Event.EXTENDED: _("延期理由"),
    Event.REPLY_DRAFTED: _("答复内容"),
    Event.REPLY_RETURNED: _("退回修改意见"),
    Event.REPLIED: _("答复内容"),
    Event.CALLED_BACK: _("回访记录（来电人的意见）"),
    Event.RATED: _("说明（可不填）"),
    hotline.DISPATCH: _("派单意见（可不填）"),
    hotline.ANSWER: _("答复内容（当场答复来电人的内容）"),
    hotline.RETURN: _("退单理由（为什么不属于本单位办理、应由哪个单位办理）"),
    Event.REMINDED: _("催办内容"),
    Event.SUPERVISED: _("督办意见"),
}
BACKDATABLE = {Event.PAUSED, Event.RESUMED, Event.RESTARTED}
MAX_EXTENSION = 60


def staff_rated(kind) -> bool:
    """Whether staff record the rating: kinds the public do not submit online cannot be rated online either."""
    return not kind.public_submission


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; ``clean`` gives a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


def available_events(case: Case, user) -> list[str]:
    """The events (and hotline actions) this user may record on this case now."""
    if not access.can_handle(user, case):
        return []
    kind = get_kind(case.kind)
    allowed = ALLOWED.get(case.status, set())
    reviewer = access.can_review(user, case)
    events = []
    for event in STAFF_EVENTS:
        if event not in allowed or event in kind.hidden_events:
            continue
        if event == Event.EXTENDED and not _may_extend(kind, case, user):
            continue
        if event in (Event.REPLY_RETURNED,) and not reviewer:
            continue
        if event == Event.REPLIED and kind.review_reply and (not reviewer or case.status != Status.REVIEWING):
            continue
        if event == Event.REPLY_DRAFTED and not kind.review_reply:
            continue
        if event == Event.RATED and not staff_rated(kind):
            continue
        if event == Event.SUPERVISED and not user.has_perm("zt_casework.supervise_case"):
            continue
        if event == Event.REOPENED and case.reopened >= kind.reopen_limit:
            continue
        events.append(event)
    in_office = access.handles_in_office(user, case)
    if kind.code == HOTLINE.code:
        return _hotline_actions(case, user, events, in_office)
    if not in_office:
        return [event for event in events if event in FOLLOW_UP]
    return events


def _may_extend(kind, case: Case, user) -> bool:
    if kind.extension_permission and not user.has_perm(kind.extension_permission):
        return False
    return kind.extension_limit is None or case.events.filter(kind=Event.EXTENDED).count() < kind.extension_limit


def _hotline_actions(case: Case, user, events: list[str], in_office: bool) -> list[str]:
    operator = access.follows_as_registrar(user, case)
    at_operators = case.organisation_id == access.registering_organisation_id(case)
    wanted = {event for event in events if event in FOLLOW_UP}
    if operator:
        wanted |= {event for event in events if event in HOTLINE_OPERATOR}
        if case.status in (Status.RECEIVED, Status.ACCEPTED) or (case.status == Status.ASSIGNED and at_operators):
            wanted.add(hotline.DISPATCH)
            wanted.add(hotline.ANSWER)
    if in_office and not at_operators and case.status in (Status.ACCEPTED, Status.ASSIGNED):
        wanted |= {event for event in events if event in HOTLINE_DEPARTMENT}
        wanted.add(hotline.RETURN)
    return [action for action in HOTLINE_ACTIONS if action in wanted]


def action_label(case: Case, action: str) -> str:
    return str(hotline.ACTION_LABELS.get(action) or get_kind(case.kind).event_label(action))


class CaseEventForm(forms.Form):
    """Fields depend on the event; ``clean`` leaves exactly what ``services.record_event`` takes."""

    def __init__(self, *args, case: Case, event: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.event, self.user = case, event, user
        self.prefix = event
        self.title = action_label(case, event)
        kind = get_kind(case.kind)
        if event == Event.CLASSIFIED:
            self.fields["limit"] = forms.ChoiceField(
                label=_("办理时限"),
                choices=[
                    (key, _("%(key)s：%(days)s 个工作日") % {"key": key, "days": kind.limit_for(key)})
                    for key in kind.limits
                ],
            )
        if event in (Event.ASSIGNED, Event.TRANSFERRED):
            organisations = Organisation.objects.filter(is_active=True)
            if event == Event.TRANSFERRED:
                organisations = organisations.exclude(pk=case.organisation_id)
            else:
                organisations = organisations.filter(pk__in=access.organisation_ids_under(case.organisation))
            self.fields["organisation"] = forms.ModelChoiceField(
                queryset=organisations,
                label=_("转办到") if event == Event.TRANSFERRED else _("承办单位"),
                required=event == Event.TRANSFERRED,
                initial=case.organisation_id if event == Event.ASSIGNED else None,
            )
        if event == hotline.DISPATCH:
            self.fields["organisation"] = forms.ModelChoiceField(
                queryset=Organisation.objects.filter(is_active=True).exclude(pk=case.organisation_id),
                label=_("派往承办单位"),
            )
            self.fields["category"] = forms.ChoiceField(
                label=_("类别（决定办理时限）"),
                choices=[
                    (key, _("%(label)s：%(days)s 个工作日") % {"label": label, "days": kind.limit_for(key)})
                    for key, label in kind.categories.items()
                ],
                initial=case.category,
                help_text=_("紧急工单当天办结（0 个工作日）。"),
            )
        if event == Event.CALLED_BACK:
            self.fields["reached"] = forms.TypedChoiceField(
                label=_("是否联系上"),
                choices=list(CallBack.LABELS.items()),
                widget=forms.RadioSelect,
                initial=CallBack.REACHED,
            )
            if staff_rated(kind):
                self.fields["rating"] = forms.ChoiceField(
                    label=_("满意度（联系上且来电人愿意评价时填写）"),
                    choices=[("", _("未评价")), *Rating.LABELS.items()],
                    required=False,
                )
        if event == Event.RATED:
            self.fields["rating"] = forms.ChoiceField(label=_("满意度"), choices=list(Rating.LABELS.items()))
        if event == Event.ASSIGNED:
            self.fields["handler"] = forms.ModelChoiceField(
                queryset=User.objects.filter(
                    is_active=True, organisation__in=access.organisation_ids_under(case.organisation)
                ),
                label=_("承办人"),
                required=False,
            )
        if event == Event.EXTENDED:
            self.fields["days"] = forms.IntegerField(
                label=_("延长的工作日数"), min_value=1, max_value=kind.extension_max_days or MAX_EXTENSION
            )
        if event == Event.REPLIED and kind.outcome_choices:
            self.fields["outcome"] = forms.ChoiceField(
                label=_("办理结果"), choices=[("", _("请选择")), *kind.outcome_choices()]
            )
        if event in BACKDATABLE:
            self.fields["day"] = forms.DateField(
                label=_("计时日期"),
                initial=timezone.localdate,
                help_text=_("默认今天；按收到材料或发出通知的日期填写。"),
            )
        if event == Event.REPLIED and kind.review_reply:
            label = _("审核意见（可不填）")
        else:
            label = NOTE_LABELS.get(event, _("说明"))
        required = event in NOTE_REQUIRED or (event == Event.REPLIED and not kind.review_reply)
        self.fields["note"] = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 4}), required=required)
        self.fields["attachments"] = MultipleFileField(
            label=_("附件"),
            required=False,
            help_text=_(
                "可选多个文件，最多 %(n)s 个；接受：%(types)s。答复的附件来信人查询时可以下载，其余只在内部可见。"
            )
            % {"n": attachments.MAX_FILES, "types": allowed_text(attachments.UPLOAD_USE)},
        )

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > attachments.MAX_FILES:
            raise forms.ValidationError(_("一次最多上传 %(n)s 个附件。") % {"n": attachments.MAX_FILES})
        errors = []
        for file in files:
            try:
                attachments.check(file)
            except forms.ValidationError as error:
                errors += [f"{file.name}：{message}" for message in error.messages]
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean(self):
        data = super().clean()
        if data.get("rating") and data.get("reached") == CallBack.NOT_REACHED:
            self.add_error("rating", _("未联系上来电人，不能记录满意度。"))
        return data

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("计时日期不能晚于今天。"))
        if day < timezone.localdate(self.case.received_at):
            raise forms.ValidationError(_("计时日期不能早于收到日期。"))
        return day

    def event_values(self) -> dict:
        """Keyword arguments for ``services.record_event``."""
        data = self.cleaned_data
        values = {"note": data.get("note", "")}
        if self.event == Event.CLASSIFIED:
            values["days"] = get_kind(self.case.kind).limit_for(data["limit"])
        if self.event == Event.EXTENDED:
            values["days"] = data["days"]
        if data.get("organisation") is not None:
            values["organisation"] = data["organisation"]
        if data.get("handler") is not None:
            values["handler"] = data["handler"]
        if data.get("day"):
            values["day"] = data["day"]
        if self.event == hotline.DISPATCH:
            values["category"] = data["category"]
        if self.event == Event.CALLED_BACK:
            values["reached"] = data["reached"] == CallBack.REACHED
            values["rating"] = data.get("rating", "")
        if self.event == Event.RATED:
            values["rating"] = data["rating"]
        if self.event == Event.REPLIED and data.get("outcome"):
            values["outcome"] = data["outcome"]
        if self.event in (Event.REJECTED, Event.ROUTED, Event.WITHDRAWN):
            kind = get_kind(self.case.kind)
            withdrawn = self.event == Event.WITHDRAWN and kind.withdrawn_outcome
            values["outcome"] = kind.withdrawn_outcome if withdrawn else self.event
        return values


# Channels staff enter cases from; web and API cases come in by themselves.
STAFF_CHANNELS = [Channel.PHONE, Channel.IN_PERSON, Channel.POST, Channel.FAX, Channel.EMAIL]


class CaseEntryForm(forms.Form):
    """A case staff register from a call, a visit, a letter, a fax or an email (``services.submit``)."""

    kind = forms.ChoiceField(label=_("办件类型"))
    category = forms.ChoiceField(label=_("类别"), help_text=_("类别决定办理时限。"))
    channel = forms.ChoiceField(label=_("渠道"), choices=[(c.value, c.label) for c in STAFF_CHANNELS])
    received_at = forms.DateTimeField(
        label=_("收到时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    signed_on = forms.DateField(
        label=_("签收日期（信函）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("信函以签收之日为收到之日（计时第 0 天）；其他渠道不填。"),
    )
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("受理单位"))
    subject = forms.CharField(label=_("标题"), max_length=200, min_length=2)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    applicant_kind = forms.ChoiceField(label=_("来信人/申请人类型"), choices=Applicant.Kind.choices)
    name = forms.CharField(label=_("姓名或单位名称"), max_length=100)
    id_number = forms.CharField(
        label=_("身份证号码（自然人）"), max_length=24, required=False, validators=[validate_resident_id]
    )
    credit_code = forms.CharField(
        label=_("统一社会信用代码（组织）"), max_length=18, required=False, validators=[validate_uscc]
    )
    contact = forms.CharField(label=_("联系人（组织）"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("联系电话"), max_length=30, required=False, help_text=_("后 4 位用于查询办理结果。")
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    address = forms.CharField(label=_("通信地址"), max_length=300, required=False)
    lookup_password = forms.CharField(
        label=_("查询密码（没有联系电话时设置，并告知来信人）"),
        max_length=50,
        required=False,
        widget=forms.PasswordInput(render_value=True),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        kinds = [k for k in all_kinds() if k.generic_entry]
        self.fields["kind"].choices = [(k.code, k.label) for k in kinds]
        categories: dict[str, object] = {}
        for k in kinds:
            for key, label in k.categories.items():
                categories.setdefault(key, label)
        self.fields["category"].choices = list(categories.items())
        organisations = Organisation.objects.filter(is_active=True)
        if not (user.is_superuser or user.has_perm("zt_casework.supervise_case")):
            organisations = organisations.filter(pk__in=access.organisation_ids_under(user.organisation))
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].initial = user.organisation_id
        self.fields["received_at"].initial = lambda: timezone.localtime().replace(second=0, microsecond=0)
        self.fields["channel"].initial = Channel.PHONE
        for field in self.fields.values():
            field.error_messages["required"] = _("请填写“%(label)s”。") % {"label": field.label}

    APPLICANT_FIELDS = (
        "applicant_kind",
        "name",
        "id_number",
        "credit_code",
        "contact",
        "phone",
        "email",
        "address",
        "lookup_password",
    )

    def case_fields(self):
        return [self[name] for name in self.fields if name not in self.APPLICANT_FIELDS]

    def applicant_fields(self):
        return [self[name] for name in self.APPLICANT_FIELDS]

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("收到时间不能晚于现在。"))
        return received_at

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and sum(ch.isdigit() for ch in phone) < 7:
            raise forms.ValidationError(_("电话号码至少要有 7 位数字，请核对。"))
        return phone

    def clean(self):
        data = super().clean()
        kind_code, category = data.get("kind"), data.get("category")
        if kind_code and category:
            kind = get_kind(kind_code)
            if category not in kind.categories:
                choices = "、".join(str(label) for label in kind.categories.values())
                self.add_error(
                    "category",
                    _("“%(kind)s”没有这个类别，请在%(choices)s中选择。") % {"kind": kind.label, "choices": choices},
                )
        channel, signed_on, received_at = data.get("channel"), data.get("signed_on"), data.get("received_at")
        if channel == Channel.POST:
            if signed_on is None:
                self.add_error("signed_on", _("信函请填写签收日期：以签收之日为收到之日。"))
            elif received_at and signed_on > timezone.localdate(received_at):
                self.add_error("signed_on", _("签收日期不能晚于收到（登记）时间。"))
        elif signed_on is not None:
            self.add_error("signed_on", _("只有信函填写签收日期；其他渠道以收到时间为准，请清空此项。"))
        natural = data.get("applicant_kind") == Applicant.Kind.NATURAL
        if natural and data.get("credit_code"):
            self.add_error("credit_code", _("自然人不填统一社会信用代码；如是单位来信，请把类型改为相应的组织。"))
        if not natural and data.get("id_number"):
            self.add_error("id_number", _("组织不填身份证号码；经办人的姓名请填在“联系人”。"))
        if "phone" in data and not data.get("phone") and not data.get("lookup_password"):
            self.add_error("phone", _("请留下联系电话，或设置一个查询密码，否则来信人以后无法查询办理结果。"))
        return data

    def submit_values(self) -> dict:
        """Keyword arguments for ``services.submit``."""
        data = self.cleaned_data
        applicant = {
            "kind": data["applicant_kind"],
            "name": data["name"].strip(),
            "id_number": data["id_number"].strip(),
            "credit_code": data["credit_code"].strip().upper(),
            "contact": data["contact"].strip(),
            "phone": data["phone"],
            "email": data["email"],
            "address": data["address"].strip(),
        }
        return {
            "kind": data["kind"],
            "category": data["category"],
            "channel": data["channel"],
            "received_at": data["received_at"],
            # 政府信息公开条例 第31条 style: a letter counts from the day it was signed for (day 0).
            "received_on": data["signed_on"] if data["channel"] == Channel.POST else None,
            "organisation": data["organisation"],
            "subject": data["subject"].strip(),
            "content": data["content"].strip(),
            "lookup_password": data["lookup_password"],
            "applicant": applicant,
        }
