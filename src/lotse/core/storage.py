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


# Office documents: the newer formats are ZIP containers, the older Word and
# Excel files OLE compound files; which one it is, the suffix says.
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OFFICE = {
    ".docx": (_ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": (_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": (_ZIP, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ".odt": (_ZIP, "application/vnd.oasis.opendocument.text"),
    ".ods": (_ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
    ".doc": (_OLE, "application/msword"),
    ".xls": (_OLE, "application/vnd.ms-excel"),
}


def check_office_or_scan(upload: UploadedFile) -> str:
    """Like check_document, and office files too (Word, Excel, PowerPoint,
    OpenDocument), judged by their first bytes and their suffix together."""
    if upload.size is None or upload.size > MAX_DOCUMENT_BYTES:
        raise ServiceError(_("The file is larger than 10 MB."))
    suffix = _suffix(upload.name or "")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if suffix in _OFFICE:
        signature, content_type = _OFFICE[suffix]
        if head.startswith(signature):
            return content_type
        raise ServiceError(_("The file is not what its name says: save it again and upload it."))
    if any(head.startswith(signature) for signature, _suffix_ in _SIGNATURES):
        return check_document(upload)
    raise ServiceError(
        _("Upload a PDF, an image (JPEG, PNG) or an office file (Word, Excel, OpenDocument).")
    )
