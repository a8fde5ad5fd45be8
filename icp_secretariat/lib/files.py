"""Private files: papers, built documents (agendas, packs) and minutes PDFs.

One small API over where they live. By default a folder on disk (`PRIVATE_MEDIA_ROOT`); with
`STORAGE_URL` (or the usual `AWS_*` variables) an S3-compatible object store through
django-storages, in a private bucket (objects written with the `private` ACL). Either way a file
reaches a reader only through a view that has asked the access helpers first
(`meetings.access`): `response()` streams it from the store. Names are chosen by the product
(`papers/<uuid>.pdf`); a file is never overwritten: a new version gets a new name.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse

PRIVATE = "private"  # the key in settings.STORAGES when files are on an object store


def on_object_store() -> bool:
    return PRIVATE in settings.STORAGES


def storage() -> Storage:
    """The private store: the object store when configured, else `PRIVATE_MEDIA_ROOT` (read at
    each call, so a test's own folder is honoured)."""
    if on_object_store():
        return storages[PRIVATE]
    return FileSystemStorage(location=str(settings.PRIVATE_MEDIA_ROOT))


def local_path(name: str) -> Path:
    """The file's path on disk (filesystem store only), refusing a name outside the root."""
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / name).resolve()
    if root not in path.parents:
        raise FileNotFoundError(name)
    return path


def save(name: str, content: bytes | IO[bytes]) -> str:
    """Store `content` under `name` (never over an existing file); return the name."""
    if on_object_store():
        fh = io.BytesIO(content) if isinstance(content, bytes) else content
        stored = storage().save(name, File(fh, name=name))
        if stored != name:  # the store chose another name: ours are unique, so say so
            storage().delete(stored)
            raise FileExistsError(name)
        return name
    path = local_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise FileExistsError(name)
    # Written beside its final name (a name of this writer's own, as two processes may save the
    # same name at once: a decision notice is named by its content) and linked into place, so no
    # reader sees half a file and a file that appeared meanwhile is never replaced.
    tmp = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.part")
    try:
        with open(tmp, "wb") as out:
            if isinstance(content, bytes):
                out.write(content)
            else:
                for block in iter(lambda: content.read(1 << 20), b""):
                    out.write(block)
            out.flush()
            os.fsync(out.fileno())
        os.link(tmp, path)  # FileExistsError when the name was taken meanwhile
    finally:
        tmp.unlink(missing_ok=True)
    return name


def open_file(name: str) -> IO[bytes]:
    """The file opened for reading; FileNotFoundError when it is not there."""
    if on_object_store():
        store = storage()
        if not store.exists(name):
            raise FileNotFoundError(name)
        return store.open(name, "rb")
    return open(local_path(name), "rb")


def read_bytes(name: str) -> bytes:
    with open_file(name) as fh:
        return fh.read()


def exists(name: str) -> bool:
    if on_object_store():
        return storage().exists(name)
    try:
        return local_path(name).is_file()
    except FileNotFoundError:  # a name outside the root
        return False


def size(name: str) -> int:
    if on_object_store():
        return storage().size(name)
    return local_path(name).stat().st_size


def delete(name: str) -> None:
    """Remove a file that was never published (a withdrawn paper, a duplicate build)."""
    if on_object_store():
        storage().delete(name)
        return
    try:
        local_path(name).unlink(missing_ok=True)
    except FileNotFoundError:
        pass


def response(name: str, *, filename: str, content_type: str = "application/pdf") -> FileResponse:
    """Stream the file to a reader the caller has already let through the access helpers."""
    return FileResponse(
        open_file(name), content_type=content_type, as_attachment=False, filename=filename
    )


class StoredFile:
    """A paper for the PDF engine, named in the store. Equal by name, so it can key a dict;
    a plain class (not a dataclass), so the engine's fingerprints see it whole."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StoredFile) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("StoredFile", self.name))

    def __repr__(self) -> str:
        return f"StoredFile({self.name!r})"

    def source(self) -> io.BytesIO:
        return io.BytesIO(read_bytes(self.name))


def local_file(name: str) -> Path:
    """A path on this machine holding the file, for code that needs one (stamping a traceable
    copy appends to the stored bytes): the file itself on the filesystem store; on an object
    store a copy kept under VAR_DIR/object-cache (names are never reused, so it never goes
    stale). FileNotFoundError when the file is not there."""
    if not on_object_store():
        return local_path(name)
    root = (Path(settings.VAR_DIR) / "object-cache").resolve()
    path = (root / name).resolve()
    if root not in path.parents:
        raise FileNotFoundError(name)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        with open_file(name) as src, open(part, "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(part, path)
    return path


def pdf_source(name: str) -> Path | StoredFile:
    """What the PDF engine reads a paper from: its path on disk, or the stored object."""
    if on_object_store():
        return StoredFile(name)
    return local_path(name)


def spool() -> tempfile.SpooledTemporaryFile:
    """A scratch file to render into before `save`."""
    return tempfile.SpooledTemporaryFile(max_size=8 << 20)
