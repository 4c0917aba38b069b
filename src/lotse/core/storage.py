"""Where uploaded documents live: outside the web root, under random names,
served only by views that check who asks (SECURITY.md E5)."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from .exceptions import ServiceError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# Magic bytes of what the offices scan and upload, and the suffix stored with it.
_SIGNATURES = ((b"%PDF-", ".pdf"), (b"\xff\xd8\xff", ".jpg"), (b"\x89PNG\r\n\x1a\n", ".png"))


def document_storage() -> Storage:
    return storages["documents"]


def document_name(instance: object, filename: str) -> str:
    """A random name: neither the uploader's file name nor a person's name
    ends up on disk. The folder is the model's, e.g. tandems/agreement/…"""
    meta = instance._meta  # type: ignore[attr-defined]
    return str(PurePath(meta.app_label, meta.model_name, f"{uuid.uuid4().hex}{_suffix(filename)}"))


def _suffix(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return ".jpg" if suffix == ".jpeg" else suffix


def check_document(upload: UploadedFile) -> str:
    """The content type of an acceptable upload (a PDF, JPEG or PNG scan up to
    10 MB, judged by its first bytes, not its name); ServiceError otherwise."""
    if upload.size is None or upload.size > MAX_DOCUMENT_BYTES:
        raise ServiceError(_("The file is larger than 10 MB."))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, suffix in _SIGNATURES:
        if head.startswith(signature):
            if _suffix(upload.name or "") != suffix:
                upload.name = f"scan{suffix}"
            return {".pdf": "application/pdf", ".jpg": "image/jpeg", ".png": "image/png"}[suffix]
    raise ServiceError(_("Upload a PDF, JPEG or PNG file."))
