"""Files a manifest names (an e-mail's HTML and images): relative to it and inside its folder,
regular files only, size-limited, and part of what a saved plan was made from."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from actito_iac.kinds.base import FileProblem
from actito_iac.manifest.files import NearbyFiles
from actito_iac.manifest.loader import load
from actito_iac.plan.saved import SavedPlan, manifest_changes


@pytest.fixture
def files(tmp_path: Path) -> NearbyFiles:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "page.html").write_text("<p/>")
    (tmp_path / "m" / "img").mkdir()
    (tmp_path / "m" / "img" / "a.png").write_bytes(b"A")
    (tmp_path / "m" / "img" / ".hidden").write_bytes(b"H")
    (tmp_path / "secret.env").write_text("TOKEN=x")
    return NearbyFiles(tmp_path / "m" / "campaigns.yaml")


def test_a_file_inside_is_read_and_digested(files: NearbyFiles) -> None:
    assert files.read("page.html", 100) == b"<p/>"
    assert files.read("./img/../page.html", 100) == b"<p/>"
    assert files.listing("img") == ["a.png"]  # hidden entries left out
    assert [Path(p).name for p in files.digests] == ["page.html"]


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("../secret.env", "leads outside the manifest's folder"),
        ("/etc/hostname", "must be a path relative to the manifest's folder"),
        ("", "must be a path relative"),
        ("missing.html", "cannot read 'missing.html'"),
        ("img", "not a regular file"),
    ],
)
def test_what_cannot_be_read_says_why(files: NearbyFiles, relative: str, expected: str) -> None:
    with pytest.raises(FileProblem, match=re.escape(expected)):
        files.read(relative, 100)


def test_a_link_that_leads_out_is_refused_and_a_fifo_is_not_opened(
    files: NearbyFiles, tmp_path: Path
) -> None:
    (tmp_path / "m" / "link.html").symlink_to(tmp_path / "secret.env")
    with pytest.raises(FileProblem, match="leads outside"):
        files.read("link.html", 100)
    os.mkfifo(tmp_path / "m" / "pipe.html")
    with pytest.raises(FileProblem, match="not a regular file"):
        files.read("pipe.html", 100)
    with pytest.raises(FileProblem, match=r"is 4 bytes; at most 3 are accepted"):
        files.read("page.html", 3)
    with pytest.raises(FileProblem, match=r"'page\.html': not a folder"):
        files.listing("page.html")


def test_a_saved_plan_is_stale_once_a_file_it_read_changes(tmp_path: Path) -> None:
    (tmp_path / "welcome.html").write_text("<p>1</p>")
    (tmp_path / "c.yaml").write_text(
        "entity: B2C\nemailCampaigns:\n  - {name: w, targetTable: T, from: A, languages: [EN],"
        " content: {html: welcome.html}}\n"
    )
    before = load([tmp_path], {})
    (tmp_path / "welcome.html").write_text("<p>2</p>")
    after = load([tmp_path], {})
    assert before.manifest_hash() != after.manifest_hash()
    saved = SavedPlan({}, "e", "u", before.manifest_hash(), before.source_digests(), {}, None, ())
    (reason,) = manifest_changes(saved, after.source_digests(), after.manifest_hash())
    assert reason.startswith("the manifests changed since the plan: ")
    assert reason.endswith("welcome.html (changed)")
