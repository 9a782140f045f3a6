"""E-mail campaigns: content read from files beside the manifest and compared after
normalising, the checks on it, the verdicts and locks of the lifecycle, payloads, uses and
export."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest

from actito_iac import archive
from actito_iac.errors import ManifestError
from actito_iac.export import export_files, file_name
from actito_iac.kinds.common import PROFILE_TABLE
from actito_iac.kinds.email_campaign import EmailCampaignKind, EmailCampaignSpec, personalised
from actito_iac.kinds.email_content import EmailContent
from actito_iac.manifest.loader import load
from actito_iac.vocabulary import Address

KIND = EmailCampaignKind()
HTML = "<html>\n<body>\n<p>Hello ${firstName}, use ${couponCode}</p>\n</body>\n</html>\n"


def write(folder: Path, item: str, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    manifest = folder / "campaigns.yaml"
    manifest.write_text("entity: B2C\nemailCampaigns:\n" + item, encoding="utf-8")
    return manifest


ITEM = """\
  - name: welcome
    targetTable: Customers
    sendingMode: CONTINUOUS
    from: Acme
    languages: [EN]
    subject: Hi $${firstName}
    content: {html: welcome/index.html, assets: welcome/img}
    parameters: [couponCode]
"""


def loaded(
    folder: Path, item: str = ITEM, files: dict[str, str | bytes] | None = None
) -> EmailCampaignSpec:
    given: dict[str, str | bytes] = {"welcome/index.html": HTML, "welcome/img/logo.png": b"PNG"}
    given.update(files or {})
    desired = load([write(folder, item, given)], {})
    spec = desired.objects[0].spec
    assert isinstance(spec, EmailCampaignSpec)
    return spec


def problems(folder: Path, item: str = ITEM, files: dict[str, str | bytes] | None = None) -> str:
    with pytest.raises(ManifestError) as failure:
        loaded(folder, item, files)
    return "\n".join(str(d) for d in failure.value.diagnostics)


def live(**changes: Any) -> EmailCampaignSpec:
    values: dict[str, Any] = {
        "name": "welcome",
        "targetTable": "Customers",
        "targetEntity": "B2C",
        "sendingMode": "CONTINUOUS",
        "languages": ["EN"],
        "from_": "Acme",
        "subject": "Hi",
        "state": "IN_DEFINITION",
    }
    values.update(changes)
    return EmailCampaignSpec.model_construct(**values)


def test_the_content_is_read_beside_the_manifest_and_zipped_from_the_html_folder(
    tmp_path: Path,
) -> None:
    spec = loaded(tmp_path)
    assert spec.targetEntity == "B2C"  # the document's entity, filled in
    assert spec.content is not None
    assert spec.content.files == {
        "index.html": HTML.encode(),
        "img/logo.png": b"PNG",  # where the HTML's relative link finds it
    }
    canonical = KIND.canonical(spec)["content"]
    assert canonical["html"].endswith("· 5 lines, 74 bytes")
    assert list(canonical["assets"]) == ["img/logo.png"]
    # What a saved plan was made from: the manifest, and each file it read.
    read = load([tmp_path], {}).digests
    assert sorted(Path(p).name for p in read) == ["campaigns.yaml", "index.html", "logo.png"]


def test_line_ends_trailing_spaces_and_a_bom_are_not_differences(tmp_path: Path) -> None:
    plain = loaded(tmp_path / "a")
    noisy = "\ufeff" + HTML.replace("\n", "   \r\n") + "\r\n\r\n"
    windows = loaded(tmp_path / "b", files={"welcome/index.html": noisy.encode()})
    assert KIND.canonical(windows) == KIND.canonical(plain)
    assert KIND.texts(windows) == KIND.texts(plain)
    changed = loaded(tmp_path / "c", files={"welcome/index.html": HTML.replace("Hello", "Hi")})
    assert KIND.canonical(changed)["content"] != KIND.canonical(plain)["content"]


def test_the_live_content_compares_equal_whatever_the_zip_names_its_page(
    tmp_path: Path,
) -> None:
    spec = loaded(tmp_path)
    payload = {
        "id": 7,
        "name": "welcome",
        "targetTable": "Customers",
        "entityOfTarget": "B2C",
        "sendingMode": "CONTINUOUS",
        "supportedLanguages": ["EN"],
        "from": "Acme",
        "encoding": "utf-8",
        "status": "IN_DEFINITION",
        "subject": {"subject": "Hi ${firstName}"},
        "content": archive.to_payload(
            {"welcome.HTML": HTML.replace("\n", "\r\n").encode(), "img/logo.png": b"PNG"}
        ),
    }
    read = KIND.spec_from_payload(payload, lambda kind, i: None)
    assert KIND.canonical(read) == {**KIND.canonical(spec), "state": "IN_DEFINITION"}
    assert KIND.status(read) == "in definition"


@pytest.mark.parametrize(
    ("item", "files", "expected"),
    [
        (ITEM, {"welcome/index.html": None}, "campaigns.yaml:9:21: error: emailCampaigns[0]."),
        (
            ITEM.replace("welcome/index.html", "../outside.html"),
            {},
            "'../outside.html' leads outside the manifest's folder",
        ),
        (ITEM.replace("welcome/index.html", "/etc/hostname"), {}, "must be a path relative"),
        (
            ITEM.replace("languages: [EN]", "languages: [EN, FR]"),
            {},
            "a campaign in several languages needs one HTML file per language",
        ),
        (
            ITEM.replace("assets: welcome/img", "assets: elsewhere"),
            {"elsewhere/x.png": b"x"},
            "'elsewhere' is not inside the HTML's folder",
        ),
        (
            ITEM.replace("assets: welcome/img", "assets: welcome"),
            {"welcome/other.html": "<p/>"},
            "'other.html' would be an HTML file at the zip's root",
        ),
        (ITEM, {"welcome/index.html": b"caf\xe9"}, "is not UTF-8 text (byte 3 cannot be read)"),
        (
            ITEM.replace("[couponCode]", "[couponCode, orderId]"),
            {},
            "${orderId} appears nowhere in the subject or content",
        ),
        (
            ITEM.replace("CONTINUOUS", "MASS"),
            {},
            "personalisations given by the API exist for CONTINUOUS campaigns only",
        ),
        (ITEM.replace("encoding", "x") + "    encoding: KLINGON\n", {}, "'KLINGON' is not"),
    ],
)
def test_content_problems_are_errors_at_their_line(
    tmp_path: Path, item: str, files: dict[str, Any], expected: str
) -> None:
    if files.get("welcome/index.html", "") is None:
        os.makedirs(tmp_path / "welcome" / "img", exist_ok=True)
        (tmp_path / "welcome" / "img" / "logo.png").write_bytes(b"PNG")
        write(tmp_path, item, {})
        with pytest.raises(ManifestError) as failure:
            load([tmp_path / "campaigns.yaml"], {})
        text = "\n".join(str(d) for d in failure.value.diagnostics)
        assert "cannot read 'welcome/index.html'" in text
        assert expected in text
        assert "appears nowhere" not in text  # the content's own error says why
        return
    assert expected in problems(tmp_path, item, files)


def test_a_zip_over_four_megabytes_is_refused_and_a_large_image_warned(tmp_path: Path) -> None:
    noise = random.Random(8).randbytes
    images: dict[str, str | bytes] = {
        "welcome/img/a.jpg": noise(2_200_000),
        "welcome/img/b.jpg": noise(2_200_000),
    }
    text = problems(tmp_path, files=images)
    assert "make a zip over ACTITO's 4 MB limit" in text
    assert "'a.jpg' weighs 2,148 kB; ACTITO advises images under 200 kB" in text


def test_a_parameter_without_content_in_the_manifest_is_not_checked(tmp_path: Path) -> None:
    item = ITEM.replace("    content: {html: welcome/index.html, assets: welcome/img}\n", "")
    desired = load([write(tmp_path, item, {})], {})
    assert [w.message for w in desired.warnings] == [
        "${couponCode} is not in the subject, and the content is not in the manifest: not "
        "checked against it"
    ]


def test_the_target_is_fixed_and_states_are_manual_or_blocked() -> None:
    target = KIND.judge(("targetTable",), "Customers", "Prospects", "welcome")
    assert "fixed once it exists" in target.blocked
    assert "create a new" in target.blocked
    entity = KIND.judge(("targetEntity",), "B2C", "B2B", "welcome")
    assert "fixed once it exists" in entity.blocked
    assert "create a new e-mail campaign under another name" in entity.blocked
    assert "remove 'welcome'" in entity.blocked
    activate = KIND.judge(("state",), "IN_DEFINITION", "ACTIVE", "welcome")
    assert activate.manual.startswith("in the ACTITO UI, open the e-mail campaign 'welcome'")
    assert "never done by API" in activate.manual
    unsend = KIND.judge(("state",), "SENT", "IN_DEFINITION", "welcome")
    assert "stays sent" in unsend.blocked
    assert KIND.judge(("subject",), "a", "b", "welcome").blocked == ""


def test_what_a_live_state_allows() -> None:
    assert KIND.locked(live(), "welcome") is None
    active = KIND.locked(live(state="ACTIVE"), "welcome")
    assert active is not None
    assert "is active" in active.manual
    assert not active.blocked
    sent = KIND.locked(live(state="SENT"), "welcome")
    assert sent is not None
    assert "was sent" in sent.blocked
    unknown = KIND.locked(live(state="ARCHIVED"), "welcome")
    assert unknown is not None
    assert "not one this version knows" in unknown.manual
    assert KIND.refuse_delete(live()) == ""
    assert "only a campaign in definition" in KIND.refuse_delete(live(state="SENT"))


def test_the_update_is_built_on_the_live_campaign_without_what_actito_sets(
    tmp_path: Path,
) -> None:
    spec = loaded(tmp_path)
    current = {"id": 7, "campaignId": 7, "status": "ACTIVE", "goalTracking": "G1", "from": "x"}
    body = KIND.payload(spec, lambda k, n: "", current)
    assert body["goalTracking"] == "G1"  # not managed here: sent back as it is
    assert not {"id", "campaignId", "status"} & set(body)
    assert (body["from"], body["entityOfTarget"], body["contentType"]) == ("Acme", "B2C", "HTML")
    created = KIND.payload(spec, lambda k, n: "", None)
    assert created["supportedLanguages"] == ["EN"]
    assert "replyTo" not in created
    subject = KIND.part_payload(spec, "subject")
    assert subject is not None
    assert subject.json == {"subject": "Hi ${firstName}"}
    content = KIND.part_payload(spec, "content")
    assert content is not None
    assert content.params == {"charset": "utf8"}
    assert spec.content is not None
    assert content.files == spec.content.files


def test_personalisations_are_soft_uses_of_the_target_table(tmp_path: Path) -> None:
    spec = loaded(tmp_path)
    assert personalised(spec) == ["firstName", "couponCode"]
    uses = KIND.uses("B2C", spec)
    table = Address("B2C", PROFILE_TABLE, "Customers")
    assert [(u.target, u.path, u.required, u.keeps) for u in uses] == [
        # couponCode comes from the API; firstName's type decides how its value is written
        (table, ("attributes", "firstName"), False, ("type", "valueType"))
    ]
    assert KIND.uses("B2C", spec.model_copy(update={"state": "SENT"})) == []


def test_export_writes_the_content_in_a_folder_with_safe_names() -> None:
    files = {
        "index_en.html": b"<p>EN</p>",
        "index_fr.html": b"<p>FR</p>",
        "img/logo.png": b"PNG",
        "../../escape.png": b"X",
        "a:b.png": b"Y",
    }
    spec = live(
        name="../news",
        languages=["EN", "FR"],
        content=EmailContent.model_construct(html="").holding(files),
    )
    address = Address("B2C", "emailCampaign", "../news")
    exported = KIND.exported(spec, address, file_name("../news"), file_name)
    assert exported.document["content"] == {
        "html": {"EN": "%2E.%2Fnews/index_en.html", "FR": "%2E.%2Fnews/index_fr.html"},
        "assets": "%2E.%2Fnews",
    }
    assert sorted(exported.files) == [
        "%2E.%2Fnews/%2E%2E/%2E%2E/escape.png",
        "%2E.%2Fnews/a%3Ab.png",
        "%2E.%2Fnews/img/logo.png",
        "%2E.%2Fnews/index_en.html",
        "%2E.%2Fnews/index_fr.html",
    ]
    assert "targetEntity" not in exported.document  # its own entity
    assert exported.document["subject"] == "Hi"
    from actito_iac.actual import LiveObject

    (written,) = export_files({address: LiveObject("7", spec, {})}, "x")
    assert all(".." not in path.parts for path, _ in written.files)
    assert written.path.parent == next(iter(written.files))[0].parent.parent
