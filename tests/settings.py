"""Settings for the test suite: production settings with what tests need on top."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)

from lotse.settings import *  # noqa: F403

# A real PBKDF2 check costs about half a second on the CI machines.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The live server for browser tests speaks plain HTTP on loopback.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Static files come from the finders (build/static), without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Uploaded documents go to a throw-away folder, never into the checkout's var/.
STORAGES = {
    **STORAGES,  # noqa: F405
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="lotse-test-documents-"), "base_url": None},
    },
}
# Annual reports are written inside the request that asks for one.
LOTSE_REPORTS_IN_BACKGROUND = False
# Erasures note their tombstones in a throw-away file (each test gets its own, conftest.py).
LOTSE_ERASURE_LOG = Path(tempfile.mkdtemp(prefix="lotse-test-erasures-")) / "erasures.log"
