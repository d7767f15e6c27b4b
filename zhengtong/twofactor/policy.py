"""Who must log in with a second factor.

GB/T 22239-2019 8.1.4.1 身份鉴别 c): administrators are identified with two or more factors, one of them
cryptographic. The platform widens "administrator" to everyone whose mistake or stolen password would reach
the public or citizens' personal data: the three administrator roles, superusers, anyone who can publish a
page, anyone who can see personal data in full.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django_otp import user_has_device
from wagtail.models import GroupPagePermission

from zhengtong.core.roles import ADMINISTRATOR_ROLES

FULL_PERSONAL_DATA_PERMISSION = "zt_privacy.view_full_personal_data"


def can_publish_pages(user: AbstractBaseUser) -> bool:
    """True if any of the user's groups holds Wagtail's publish permission anywhere in the page tree."""
    return GroupPagePermission.objects.filter(
        group__in=user.groups.all(),
        permission__content_type__app_label="wagtailcore",
        permission__codename="publish_page",
    ).exists()


def two_factor_required(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the rules require ``user`` to log in with a second factor.

    Off for everyone only where ``ZT_2FA_REQUIRED`` is off, which production does not allow (settings).
    Anyone else may enrol voluntarily; once enrolled, they are asked for the code like everyone else.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if not (settings.ZT_2FA_REQUIRED or settings.PRODUCTION):
        return False
    if user.is_superuser:
        return True
    if user.groups.filter(name__in=ADMINISTRATOR_ROLES).exists():
        return True
    if can_publish_pages(user):
        return True
    return user.has_perm(FULL_PERSONAL_DATA_PERMISSION)


def enrolment_required(user: AbstractBaseUser) -> bool:
    """Whether a user without a confirmed device must enrol before using the admin.

    Required by the rules above, or reset by the security administrator (who forces re-enrolment).
    """
    from zhengtong.twofactor.models import TwoFactorState

    if TwoFactorState.objects.filter(user_id=user.pk, enrolment_required=True).exists():
        return True
    return two_factor_required(user)


def has_device(user: AbstractBaseUser) -> bool:
    """A confirmed authenticator (TOTP) or recovery-code device."""
    return user_has_device(user, confirmed=True)
