import pytest
from django.utils import translation

from lotse.core.storage import document_storage
from lotse.tandems.models import Tandem


@pytest.fixture(autouse=True)
def _english():
    """Service messages are matched in English, whatever a request before activated."""
    with translation.override("en"):
        yield


@pytest.fixture
def documents(settings, tmp_path, monkeypatch):
    """Uploaded documents go to a temporary folder.

    Overriding STORAGES alone is not enough: Django resets its `storages`
    handler on the setting change, but a FileField calls a callable storage
    once, when the model class is created, and keeps that storage object. So
    the field gets the storage of the overridden settings as well; both are
    restored after the test."""
    location = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            **settings.STORAGES["documents"],
            "OPTIONS": {
                **settings.STORAGES["documents"].get("OPTIONS", {}),
                "location": str(location),
            },
        },
    }
    storage = document_storage()
    assert storage.location == str(location)
    monkeypatch.setattr(Tandem._meta.get_field("agreement_scan"), "storage", storage)
    return location
