from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One code: six digits from the authenticator app, or (where accepted) a recovery code."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=32,
        strip=True,
        help_text=_("打开手机上的身份验证器应用，输入显示的6位数字。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false", "autofocus": True}
        ),
    )

    def __init__(self, *args, recovery: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if recovery:
            self.fields["code"].label = _("验证码或恢复码")
            self.fields["code"].help_text = _("输入身份验证器应用显示的6位数字；手机不在身边时，可输入一个恢复码。")


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("重置原因"),
        min_length=4,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：本人手机丢失，已当面核实身份。原因将记入审计日志。"),
    )
