"""The forms staff use to move a case: one small form per kind of event."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengtong.casework import access, attachments
from zhengtong.casework.kinds import get_kind
from zhengtong.casework.models import Case
from zhengtong.casework.workflow import ALLOWED, Event
from zhengtong.core.models import Organisation, User
from zhengtong.hardening.uploads import allowed_text

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
    Event.REMINDED,
    Event.SUPERVISED,
    Event.REOPENED,
    Event.WITHDRAWN,
    Event.NOTE,
]
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
    Event.CALLED_BACK: _("回访结果"),
    Event.REMINDED: _("催办内容"),
    Event.SUPERVISED: _("督办意见"),
}
BACKDATABLE = {Event.PAUSED, Event.RESUMED, Event.RESTARTED}
MAX_EXTENSION = 60


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
    """The events this user may record on this case now."""
    if not access.can_handle(user, case):
        return []
    kind = get_kind(case.kind)
    allowed = ALLOWED.get(case.status, set())
    reviewer = access.can_review(user, case)
    events = []
    for event in STAFF_EVENTS:
        if event not in allowed:
            continue
        if event in (Event.REPLY_RETURNED,) and not reviewer:
            continue
        if event == Event.REPLIED and kind.review_reply and not reviewer:
            continue
        if event == Event.REPLY_DRAFTED and not kind.review_reply:
            continue
        if event == Event.SUPERVISED and not user.has_perm("zt_casework.supervise_case"):
            continue
        if event == Event.REOPENED and case.reopened >= kind.reopen_limit:
            continue
        events.append(event)
    return events


class CaseEventForm(forms.Form):
    """Fields depend on the event; ``clean`` leaves exactly what ``services.record_event`` takes."""

    def __init__(self, *args, case: Case, event: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.event, self.user = case, event, user
        self.prefix = event
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
        if event == Event.ASSIGNED:
            self.fields["handler"] = forms.ModelChoiceField(
                queryset=User.objects.filter(
                    is_active=True, organisation__in=access.organisation_ids_under(case.organisation)
                ),
                label=_("承办人"),
                required=False,
            )
        if event == Event.EXTENDED:
            self.fields["days"] = forms.IntegerField(label=_("延长的工作日数"), min_value=1, max_value=MAX_EXTENSION)
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
        if self.event in (Event.REJECTED, Event.ROUTED, Event.WITHDRAWN):
            values["outcome"] = self.event
        return values
