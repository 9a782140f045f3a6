"""Objects read whole with their parts (an e-mail campaign's subject and content), parts
written on their own paths, and the zip codec that carries content both ways."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from actito_iac import archive
from actito_iac.api.errors import UnexpectedResponse
from actito_iac.api.resource import Resource
from actito_iac.kinds.endpoints import Endpoints, Part, PartBody, PartFormat

from .conftest import reply

pytestmark = pytest.mark.anyio

MAIL = Endpoints(
    category="email-campaigns",
    version="v4",
    resource="mail",
    list_key="mailCampaigns",
    detail=True,
    parts=(
        Part("subject", "content/subject"),
        Part("content", "content/body", write="POST", format=PartFormat.ARCHIVE),
    ),
)
BASE = "/email-campaigns/v4/entity/B2C/mail"


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as made:
        for name, data in files.items():
            made.writestr(name, data)
    return buffer.getvalue()


def test_packing_is_deterministic_and_unpacks_to_the_same_files() -> None:
    files = {"index.html": b"<p>x</p>", "img/logo.png": b"PNG"}
    assert archive.pack(files) == archive.pack(dict(reversed(files.items())))
    assert archive.unpack(archive.pack(files)) == files
    assert archive.from_payload(archive.to_payload(files)) == files


def test_an_answer_that_is_not_a_zip_is_one_file() -> None:
    assert archive.unpack(b"<html></html>") == {archive.ONE_FILE: b"<html></html>"}


def test_a_hostile_zip_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    many = zipped({f"f{i}": b"" for i in range(archive.MAX_ENTRIES + 1)})
    with pytest.raises(ValueError, match="holds 1001 files"):
        archive.unpack(many)
    monkeypatch.setattr(archive, "MAX_INFLATED", 1000)
    with pytest.raises(ValueError, match="inflates beyond"):
        archive.unpack(zipped({"bomb": b"0" * 2000}))
    with pytest.raises(ValueError, match="cannot be read"):
        archive.unpack(b"PK\x03\x04 not really a zip")


async def test_each_listed_object_is_read_whole_with_its_parts(fake, make_client) -> None:
    fake.script("GET", BASE, reply(200, json={"mailCampaigns": [{"id": 7, "name": "w"}]}))
    fake.script("GET", f"{BASE}/7", reply(200, json={"id": 7, "name": "w", "from": "Acme"}))
    fake.script("GET", f"{BASE}/7/content/subject", reply(404, json={"message": "none"}))
    content = zipped({"index.html": b"<p>Hi</p>"})
    fake.script("GET", f"{BASE}/7/content/body", reply(200, content=content))
    async with make_client() as client:
        (found,) = await Resource(client, MAIL).list_all("B2C")
    assert found["from"] == "Acme"
    assert found["subject"] is None  # not set yet: nothing there, not "unknown"
    assert archive.from_payload(found["content"]) == {"index.html": b"<p>Hi</p>"}
    body_call = next(r for r in fake.requests if r.url.path.endswith("/content/body"))
    assert body_call.headers["accept"] == "*/*"


async def test_a_content_answer_that_cannot_be_read_names_the_call(fake, make_client) -> None:
    fake.script("GET", f"{BASE}/7", reply(200, json={"id": 7, "name": "w"}))
    fake.script("GET", f"{BASE}/7/content/subject", reply(200, json={"subject": "s"}))
    fake.script("GET", f"{BASE}/7/content/body", reply(200, content=b"PK\x03\x04junk"))
    async with make_client() as client:
        with pytest.raises(UnexpectedResponse) as failure:
            await Resource(client, MAIL).get("B2C", "7")
    assert f"GET {BASE}/7/content/body -> 200 OK: the files of the answer cannot be read" in str(
        failure.value
    )


async def test_parts_are_written_on_their_own_paths(fake, make_client) -> None:
    fake.script("PUT", f"{BASE}/7/content/subject", reply(200, json={"campaignId": 7}))
    fake.script("POST", f"{BASE}/7/content/body", reply(200, json={"campaignId": 7}))
    files = {"index.html": b"<p>Hi</p>"}
    async with make_client() as client:
        resource = Resource(client, MAIL)
        await resource.write_part("B2C", "7", MAIL.parts[0], PartBody(json={"subject": "Hi"}))
        body = PartBody(files=files, params={"charset": "utf8"})
        await resource.write_part("B2C", "7", MAIL.parts[1], body)
    subject, upload = [r for r in fake.requests if "/content/" in r.url.path]
    assert json.loads(subject.content) == {"subject": "Hi"}
    assert upload.url.params["charset"] == "utf8"
    assert upload.headers["content-type"].startswith("multipart/form-data")
    assert b'name="inputFile"' in upload.content
    assert archive.pack(files) in upload.content
