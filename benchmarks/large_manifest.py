"""How long loading a manifest takes near the file size limit, and how fast a huge one is
refused.

Not a test: it prints timings. Run with `.venv/bin/python benchmarks/large_manifest.py`. It
writes, into a temporary folder, a manifest of custom tables just under MAX_FILE_BYTES (the
dense flow style of the examples) and loads it twice: as it is (the fast reader), and with one
mistake at its end (read again by the round-trip reader to place the problem). Then it times
the refusal of a 50 MB file.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from actito_iac.errors import ManifestError
from actito_iac.manifest.loader import load
from actito_iac.manifest.reader import MAX_FILE_BYTES

TABLE = """\
  - name: T{i}
    primaryKey: id
    attributes:
      - {{name: id, valueType: STRING, mandatory: true, unique: true}}
      - {{name: status, valueType: STRING, acceptedValues: [NEW, SHIPPED, CANCELED]}}
      - {{name: amount, valueType: NUMBER}}
"""


def near_limit(path: Path) -> int:
    parts, size, i = ["entity: B2C\ncustomTables:\n"], 0, 0
    while True:
        table = TABLE.format(i=i)
        if size + len(table) > MAX_FILE_BYTES - 64:
            break
        parts.append(table)
        size, i = size + len(table), i + 1
    path.write_text("".join(parts), encoding="utf-8")
    return i


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        manifest = Path(folder) / "near-limit.yaml"
        tables = near_limit(manifest)
        started = time.perf_counter()
        desired = load([manifest], {})
        took = time.perf_counter() - started
        size = manifest.stat().st_size
        print(f"{size:,} bytes, {tables} tables: loaded {len(desired.objects)} in {took:.1f}s")

        text = manifest.read_text(encoding="utf-8")
        broken = text.rsplit("valueType: NUMBER}", 1)
        manifest.write_text("valueType: NUMBR}".join(broken), encoding="utf-8")
        started = time.perf_counter()
        try:
            load([manifest], {})
        except ManifestError as refused:
            took = time.perf_counter() - started
            where = refused.diagnostics[0].location
            print(f"the same with one mistake: reported at {where} in {took:.1f}s")
        else:
            sys.exit("the mistake was not reported")

        huge = Path(folder) / "huge.yaml"
        with huge.open("wb") as handle:
            handle.truncate(50 * 1024 * 1024)
        started = time.perf_counter()
        try:
            load([huge], {})
        except ManifestError as refused:
            took = time.perf_counter() - started
            print(f"50 MB: refused in {took * 1000:.1f} ms: {refused.diagnostics[0].message}")
        else:
            sys.exit("the 50 MB file was not refused")


if __name__ == "__main__":
    main()
