import pytest
from django.utils import translation

from lotse.cases.models import CaseDocument
from lotse.core.storage import document_storage


@pytest.fixture(autouse=True)
def _english():
    """Service messages are matched in English, whatever a request before activated."""
    with translation.override("en"):
        yield


@pytest.fixture
def documents(settings, tmp_path, monkeypatch):
    """Uploaded documents go to a temporary folder (see tests/tandems/conftest.py
    for why the field's storage is replaced as well)."""
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
    monkeypatch.setattr(CaseDocument._meta.get_field("file"), "storage", storage)
    return location
