"""A model used only by these tests (its table is created by conftest.py; no migration).

Unmanaged, so the rest of the suite (test database serialisation, flushes) ignores it in processes
where conftest.py did not create its table.
"""

from django.db import models

from zhengtong.privacy.fields import BlindIndexField, PersonalDataField


class SampleApplicant(models.Model):
    name = PersonalDataField("姓名", kind="name")
    id_number = PersonalDataField("身份证号码", kind="id_number", blank=True)
    id_number_index = BlindIndexField(source="id_number")
    phone = PersonalDataField("联系电话", kind="phone", blank=True)
    phone_index = BlindIndexField(source="phone")
    email = PersonalDataField("电子邮箱", kind="email", blank=True)
    address = PersonalDataField("地址", kind="address", blank=True)
    note = models.CharField(max_length=50, blank=True)

    class Meta:
        app_label = "zt_privacy"
        managed = False

    def __str__(self) -> str:
        return f"申请人 {self.name}"
