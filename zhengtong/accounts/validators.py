"""Password rules of GB/T 22239-2019 8.1.4.1 a) 身份鉴别信息具有复杂度要求并定期更换.

Django password validators, so every form that sets a password (Wagtail's account page and user forms,
the change page here, ``changepassword``) applies the same rules. Limits come from settings
(``ZT_PASSWORD_*``) so a county can tighten them.
"""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


class MinimumLengthValidator:
    def __init__(self, min_length: int | None = None):
        self.min_length = min_length

    @property
    def length(self) -> int:
        return self.min_length or _setting("ZT_PASSWORD_MIN_LENGTH", 10)

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.length:
            raise ValidationError(
                _("密码太短，至少需要 %(n)s 个字符。") % {"n": self.length}, code="password_too_short"
            )

    def get_help_text(self) -> str:
        return _("至少 %(n)s 个字符。") % {"n": self.length}


def character_classes(password: str) -> int:
    """How many of the four classes (upper case, lower case, digits, other characters) the password uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassesValidator:
    @property
    def required(self) -> int:
        return _setting("ZT_PASSWORD_MIN_CLASSES", 3)

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.required:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、其他符号四类中的至少 %(n)s 类。") % {"n": self.required},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("包含大写字母、小写字母、数字、其他符号中的至少 %(n)s 类。") % {"n": self.required}


class UsernameValidator:
    """The password must not be the account name nor contain it (in any letter case)."""

    def validate(self, password: str, user=None) -> None:
        username = (user.get_username() if user is not None else "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError(_("密码不能与用户名相同，也不能包含用户名。"), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("不能与用户名相同，也不能包含用户名。")


class PasswordHistoryValidator:
    """Refuses the current password and the last ``ZT_PASSWORD_HISTORY`` ones (compared by hash)."""

    @property
    def count(self) -> int:
        return _setting("ZT_PASSWORD_HISTORY", 5)

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None or self.count <= 0:
            return
        from zhengtong.accounts.models import PasswordHistory

        hashes = list(PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[: self.count])
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(_("不能使用最近 %(n)s 次用过的密码。") % {"n": self.count}, code="password_reused")

    def get_help_text(self) -> str:
        return _("不能与最近 %(n)s 次用过的密码相同。") % {"n": self.count}
