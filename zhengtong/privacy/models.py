"""The permission to see personal data in full; the data itself lives in each module's own models."""

from django.db import models
from django.utils.translation import gettext_lazy as _

VIEW_FULL_PERMISSION = "zt_privacy.view_full_personal_data"


class PersonalDataAccess(models.Model):
    """No table: a holder for the permission ``zt_privacy.view_full_personal_data``.

    Granted to a group in 设置 → 组 (Wagtail shows it under “个人信息”). Holders see full values only
    through ``services.reveal``, one value at a time, each recorded in the audit trail (privacy.reveal).
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_full_personal_data", _("可以查看完整的个人信息（每次查看记入审计）"))]
        verbose_name = _("个人信息")
        verbose_name_plural = _("个人信息")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
