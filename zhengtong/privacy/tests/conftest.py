import pytest
from django.db import connection

from zhengtong.privacy.tests.models import SampleApplicant


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test model has no migration: create its table once, outside any test transaction.

    Its content type too: created inside a test, it would be rolled back but stay in ContentType's cache.
    """
    from django.contrib.contenttypes.models import ContentType

    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(SampleApplicant)
        ContentType.objects.get_for_model(SampleApplicant)


@pytest.fixture(autouse=True)
def key_files(settings, tmp_path):
    """Each test gets its own key ring and index key (the provider is re-created on the setting change)."""
    settings.ZT_PERSONAL_DATA_KEYRING = tmp_path / "secrets" / "personal_data_keys.json"
    settings.ZT_PERSONAL_DATA_INDEX_KEY_FILE = tmp_path / "secrets" / "personal_data_index_key"
    return tmp_path / "secrets"


# GB 11643-1999 annex example and one more valid number (checked by test_validators).
ID_NUMBER = "11010519491231002X"
PHONE = "13800001234"
