"""Files as ACTITO takes and gives them: a zip archive in, a zip (or one file) out.

A leaf module: the client packs and unpacks (api/resource.py), the kinds read the files from
the payload (`from_payload`), and nothing here does I/O.

Packing is deterministic — entries sorted, every timestamp the zip epoch — so one set of files
is always the same bytes. Unpacking an answer refuses what a hostile or broken server could
use to exhaust the machine (too many entries, too many bytes once inflated, an entry whose
stated size lies), with a ValueError the reading guard turns into an API error naming the call.
Entry names are kept as given (folders use `/`); they never choose a path on their own: export
writes each one through its path-safety rules.
"""

from __future__ import annotations

import base64
import binascii
import io
import zipfile
from collections.abc import Mapping

from actito_iac.vocabulary import JSON

ONE_FILE = ""
"""The name under which an answer that is not a zip (the HTML itself, say) is given."""

MAX_ENTRIES = 1000
MAX_INFLATED = 64 * 1024 * 1024
"""What an answer may hold once inflated: ACTITO's own limit for a content zip is 4 MB [DOC];
this bound only stops a zip bomb, far above anything real."""

_EPOCH = (1980, 1, 1, 0, 0, 0)


def pack(files: Mapping[str, bytes]) -> bytes:
    """A zip holding `files` (name → bytes), the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def unpack(data: bytes) -> dict[str, bytes]:
    """The files of an answer: a zip's entries (folders left out), or the whole answer under
    ONE_FILE when it is not a zip. ValueError for a zip that cannot be read safely."""
    if not data.startswith(b"PK"):
        return {ONE_FILE: data}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [i for i in archive.infolist() if not i.is_dir()]
            if len(entries) > MAX_ENTRIES:
                raise ValueError(f"the zip holds {len(entries)} files (at most {MAX_ENTRIES})")
            out: dict[str, bytes] = {}
            total = 0
            for info in entries:
                total += info.file_size
                if total > MAX_INFLATED:
                    raise ValueError(f"the zip inflates beyond {MAX_INFLATED // 2**20} MB")
                with archive.open(info) as handle:
                    content = handle.read(info.file_size + 1)
                if len(content) != info.file_size:
                    raise ValueError(f"entry {info.filename!r} is not the size it states")
                out[_name(info.filename)] = content
            return out
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        raise ValueError(f"the zip cannot be read ({exc})") from None


def _name(raw: str) -> str:
    return raw.replace("\\", "/").removeprefix("./")


def to_payload(files: Mapping[str, bytes]) -> dict[str, JSON]:
    """Files as a JSON value, to sit in an object's payload (compared, fingerprinted)."""
    return {"files": {name: base64.b64encode(data).decode("ascii") for name, data in files.items()}}


def from_payload(value: JSON) -> dict[str, bytes]:
    """The files `to_payload` made; ValueError for anything else."""
    files = value.get("files") if isinstance(value, dict) else None
    if not isinstance(files, dict):
        raise ValueError("the content is not a set of files")
    try:
        return {str(name): base64.b64decode(data, validate=True) for name, data in files.items()}
    except (binascii.Error, TypeError) as exc:
        raise ValueError(f"the content cannot be decoded ({exc})") from None
