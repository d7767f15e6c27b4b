import logging
import pickle
import sqlite3

import pytest
from django import forms
from django.core import serializers
from django.db import connection
from django.template import Context, Template

from zhengtong.privacy.crypto import DecryptionError
from zhengtong.privacy.fields import PersonalData, personal_lookup
from zhengtong.privacy.tests.conftest import ID_NUMBER, PHONE
from zhengtong.privacy.tests.models import SampleApplicant

pytestmark = pytest.mark.django_db

ADDRESS = "新疆维吾尔自治区昌吉回族自治州吉木萨尔县北庭镇北庭路1号"
EMAIL = "zhangsan@example.com"


def make(**extra) -> SampleApplicant:
    values = {"name": "张三丰", "id_number": ID_NUMBER, "phone": PHONE, "email": EMAIL, "address": ADDRESS}
    return SampleApplicant.objects.create(**{**values, **extra})


def raw_row(pk) -> tuple:
    table = SampleApplicant._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, id_number, phone, email, address FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


def test_values_read_back_masked_to_people_and_plain_to_code():
    person = SampleApplicant.objects.get(pk=make().pk)
    assert isinstance(person.phone, PersonalData)
    assert str(person.phone) == "138****1234"
    assert f"{person.id_number}" == "110105********002X"
    assert repr(person.name) == "<PersonalData name: 张某>"
    assert str(person) == "申请人 张某"
    assert person.phone.reveal() == PHONE
    assert person.phone == PHONE
    assert person.address.reveal() == ADDRESS


def test_a_fresh_assignment_is_masked_too():
    person = SampleApplicant(name="李四")
    assert str(person.name) == "李某"
    assert person.phone == ""


def test_typed_text_that_looks_like_a_token_is_just_text():
    person = SampleApplicant.objects.create(name="zt1:k9:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo")
    assert SampleApplicant.objects.get(pk=person.pk).name.reveal() == "zt1:k9:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo"


def test_database_holds_only_tokens():
    person = make()
    row = raw_row(person.pk)
    for stored, plain in zip(row, ["张三丰", ID_NUMBER, PHONE, EMAIL, ADDRESS], strict=True):
        assert stored.startswith("zt1:k1:")
        assert plain not in stored
    # the blind indexes are keyed digests, not the numbers either
    assert PHONE not in person.phone_index and len(person.phone_index) == 64


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads the SQLite database file")
def test_sqlite_database_file_has_no_plaintext(tmp_path):
    make()
    make(name="欧阳娜娜", phone="13912345678", id_number="", email="", address="")
    connection.ensure_connection()
    # The database file's bytes, as a copy or a backup of it would hold them (pages of this connection,
    # uncommitted test data included).
    data = connection.connection.serialize()
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(data)
    assert sqlite3.connect(copy).execute("SELECT count(*) FROM zt_privacy_sampleapplicant").fetchone() == (2,)
    for plain in ["张三丰", "欧阳娜娜", ID_NUMBER, PHONE, "13912345678", EMAIL, "北庭路"]:
        assert plain.encode() not in data
        assert plain.encode("utf-16-le") not in data


def test_token_copied_to_another_column_or_row_type_does_not_decrypt():
    person = make()
    table = SampleApplicant._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET email = phone WHERE id = %s", [person.pk])  # noqa: S608
    moved = SampleApplicant.objects.get(pk=person.pk)
    with pytest.raises(DecryptionError):
        moved.email.reveal()


def test_exact_lookup_by_blind_index_whatever_the_typing():
    target = make()
    make(name="李四", phone="13912345678", id_number="")
    assert list(SampleApplicant.objects.filter(**personal_lookup(SampleApplicant, "phone", "+86 138-0000-1234"))) == [
        target
    ]
    lower = ID_NUMBER.lower()
    assert SampleApplicant.objects.filter(**personal_lookup(SampleApplicant, "id_number", lower)).get() == target
    assert not SampleApplicant.objects.filter(**personal_lookup(SampleApplicant, "phone", "13800001235")).exists()


def test_changing_a_value_updates_its_index():
    person = make()
    person.phone = "13912345678"
    person.save()
    assert SampleApplicant.objects.filter(**personal_lookup(SampleApplicant, "phone", "13912345678")).exists()
    assert not SampleApplicant.objects.filter(**personal_lookup(SampleApplicant, "phone", PHONE)).exists()
    person.phone = ""
    person.save()
    assert SampleApplicant.objects.get(pk=person.pk).phone_index == ""


def test_plaintext_lookups_are_refused_but_emptiness_works():
    make(phone="")
    with pytest.raises(TypeError, match="personal_lookup"):
        list(SampleApplicant.objects.filter(phone=PHONE))
    assert SampleApplicant.objects.filter(phone="").count() == 1
    with pytest.raises(LookupError):
        personal_lookup(SampleApplicant, "email", EMAIL)


def test_resaving_keeps_the_token():
    person = make()
    before = raw_row(person.pk)
    person = SampleApplicant.objects.get(pk=person.pk)
    person.note = "changed"
    person.save()
    assert raw_row(person.pk) == before


def test_only_and_defer_still_decrypt_lazily():
    pk = make().pk
    assert SampleApplicant.objects.only("name").get(pk=pk).phone.reveal() == PHONE


def test_serialised_rows_carry_tokens_and_load_back():
    person = make()
    dumped = serializers.serialize("json", [person])
    for plain in [PHONE, ID_NUMBER, EMAIL, "北庭路"]:
        assert plain not in dumped
    SampleApplicant.objects.all().delete()
    for obj in serializers.deserialize("json", dumped):
        obj.save()
    assert SampleApplicant.objects.get(pk=person.pk).phone.reveal() == PHONE


def test_pickles_carry_tokens():
    person = make()
    fresh = SampleApplicant(name="王五", phone="13700001111")
    for obj, phone in ((SampleApplicant.objects.get(pk=person.pk), PHONE), (fresh, "13700001111")):
        obj.phone.reveal()
        data = pickle.dumps(obj)
        assert phone.encode() not in data
        assert pickle.loads(data).phone.reveal() == phone  # noqa: S301
    fresh.save()
    assert SampleApplicant.objects.get(pk=fresh.pk).phone.reveal() == "13700001111"


def test_logging_shows_masked_values(caplog):
    person = make()
    with caplog.at_level(logging.INFO):
        logging.getLogger("zhengtong.test").info("applicant %s phone %s id %r", person, person.phone, person.id_number)
    assert PHONE not in caplog.text and ID_NUMBER not in caplog.text and "138****1234" in caplog.text


def test_templates_show_masked_values_and_the_filter_masks_plain_text():
    person = make()
    html = Template(
        '{% load privacy %}{{ p.name }} {{ p.phone }} {{ p.phone|masked }} {{ raw|masked:"id_number" }}'
    ).render(Context({"p": person, "raw": ID_NUMBER}))
    assert html == "张某 138****1234 138****1234 110105********002X"


def test_model_validation_checks_id_numbers_and_emails():
    from django.core.exceptions import ValidationError

    person = SampleApplicant(name="张三", id_number="110105194912310021", email="not-an-email")
    with pytest.raises(ValidationError) as info:
        person.full_clean()
    assert "校验位" in info.value.message_dict["id_number"][0]
    assert "email" in info.value.message_dict


class ApplicantForm(forms.ModelForm):
    class Meta:
        model = SampleApplicant
        fields = ["name", "id_number", "phone"]


def test_edit_form_shows_masked_values_and_keeps_them_when_untouched():
    person = make()
    form = ApplicantForm(instance=SampleApplicant.objects.get(pk=person.pk))
    html = form.as_p()
    assert PHONE not in html and ID_NUMBER not in html and "138****1234" in html
    before = raw_row(person.pk)
    data = {"name": "张某", "id_number": "110105********002X", "phone": "138****1234"}
    form = ApplicantForm(data, instance=SampleApplicant.objects.get(pk=person.pk))
    assert form.is_valid(), form.errors
    assert not form.has_changed()
    form.save()
    assert raw_row(person.pk)[:3] == before[:3]
    assert SampleApplicant.objects.get(pk=person.pk).name.reveal() == "张三丰"


def test_edit_form_replaces_and_validates_new_values():
    person = make()
    form = ApplicantForm(
        {"name": "张某", "id_number": "110105194912310021", "phone": "13912345678"},
        instance=SampleApplicant.objects.get(pk=person.pk),
    )
    assert not form.is_valid()
    assert "校验位" in form.errors["id_number"][0]
    form = ApplicantForm(
        {"name": "李四", "id_number": "", "phone": "13912345678"}, instance=SampleApplicant.objects.get(pk=person.pk)
    )
    assert form.is_valid(), form.errors
    form.save()
    saved = SampleApplicant.objects.get(pk=person.pk)
    assert saved.name.reveal() == "李四" and saved.id_number == "" and saved.phone.reveal() == "13912345678"


def test_a_new_record_from_a_public_form():
    form = ApplicantForm({"name": " 阿依古丽·赛力克 ", "id_number": "11010519491231002x", "phone": PHONE})
    assert form.is_valid(), form.errors
    person = form.save()
    saved = SampleApplicant.objects.get(pk=person.pk)
    assert saved.name.reveal() == "阿依古丽·赛力克" and str(saved.name) == "阿某·某"
    assert saved.id_number.reveal() == ID_NUMBER  # stored upper-case


def test_field_checks_refuse_unique_personal_data():
    from django.db import models

    from zhengtong.privacy.fields import PersonalDataField

    field = PersonalDataField(kind="phone", unique=True)
    field.set_attributes_from_name("phone")
    field.model = SampleApplicant
    assert [e.id for e in field.check()] == ["zhengtong.E310"]
    assert isinstance(field, models.TextField)
