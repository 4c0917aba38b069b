import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Service messages are matched in English, whatever a request before activated."""
    with translation.override("en"):
        yield
