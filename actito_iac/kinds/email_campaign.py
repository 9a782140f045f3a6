"""E-mail campaigns: general data, subject and HTML content, reviewed as a diff.

API (actito-api.md §7.2), under `/email-campaigns/v4/entity/{e}/mail`: create [DOC: `POST`,
answer `{"campaignId"}`], list [CODE: `GET /mail`; its wrapper `mailCampaigns` is INFER],
get [CODE], general data by `PUT /mail/{id}` with the create body [CODE], the subject by
`PUT …/content/subject` with `{"subject"}` [CODE], the content by `POST …/content/body
?charset=utf8`, a zip in the multipart part `inputFile` [CODE], read back with `GET
…/content/body` [INFER: a zip, or the HTML alone], delete [CODE; DOC: only in definition].
The list gives part of each campaign [DOC-3rd], so each one is read whole. A name already
used answers 409 `ALREADY_USED_MAIL_NAME` [CODE]: apply names the campaign.

Creating is three calls: the campaign, its subject, its content. If a later one fails, the
campaign is left as it is — in definition, unfinished — and the next plan resumes it: it is
found by its name, and what is missing (the content, say) is an update of that campaign.
Nothing is created twice and no re-run meets a 409. (Rolling back instead would need a delete
that can fail for the very reason the create did, and a delete is never implicit here.)

`goalTracking`, in the documented create body with its meaning cut off, is not managed: an
update sends it back as the licence has it.

Subject, content and reply-to address are compared only where the manifest declares them: a
campaign designed in ACTITO's editor can be managed for its general data alone, and the
licence's default reply-to is not a difference. `parameters` (personalisations the API gives
when triggering a continuous campaign [DOC]) are checked against the subject and content —
each must appear there as `${name}` — but not sent: the call that maps personalisations was
never seen, so they are mapped in the ACTITO UI.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, ClassVar

from pydantic import Field, StringConstraints

from actito_iac import archive
from actito_iac.kinds.base import Exported, IdLookup, ManifestFiles, NameLookup
from actito_iac.kinds.campaign import (
    PERSONALISED_KEEPS,
    SENT,
    CampaignKind,
    CampaignSpec,
    canonical_campaign,
    check_campaign,
    exported_document,
    general_fields,
    general_payload,
)
from actito_iac.kinds.email_content import (
    SINGLE,
    EmailContent,
    canonical_content,
    charset,
    known_encoding,
    load_content,
    page_keys,
    placeholders,
)
from actito_iac.kinds.email_content import texts as content_texts
from actito_iac.kinds.endpoints import Endpoints, Part, PartBody, PartFormat, UpdateMethod
from actito_iac.vocabulary import (
    JSON,
    Address,
    Capabilities,
    Issue,
    Path,
    Source,
    SpecModel,
    Use,
    op,
)

NOUN = "e-mail campaign"
PARAMETER = r"^[A-Za-z0-9_]+$"
"""[DOC] a personalisation's name holds no special characters or spaces."""
SUBJECT, CONTENT = "subject", "content"


class EmailCampaignSpec(CampaignSpec):
    """An e-mail campaign: who it goes to, from whom, its subject and its HTML."""

    from_: str = Field(alias="from", min_length=1, description="The sender's display name.")
    replyTo: str | None = Field(
        default=None,
        description="Where replies go (never shown to recipients). Left out: the licence's "
        "default, not compared.",
    )
    encoding: str = Field(
        default="UTF-8", description="Of the HTML: UTF-8, ISO-8859-15…; the files are read so."
    )
    subject: str | None = Field(
        default=None, description="The subject line; may personalise (${firstName})."
    )
    content: EmailContent | None = Field(
        default=None,
        description="The HTML, from files beside the manifest. Left out: the "
        "content is designed in ACTITO's editor, not compared.",
    )
    parameters: list[Annotated[str, StringConstraints(pattern=PARAMETER)]] = Field(
        default_factory=list,
        description="Personalisations the API gives when it triggers the campaign (CONTINUOUS "
        "only); each must appear as ${name} in the subject or content. Checked, not sent.",
    )


def personalised(spec: EmailCampaignSpec) -> list[str]:
    """The personalisations (`${name}`) the campaign's subject and content use, in order —
    what another object may need to know it relies on (a profile attribute of that name)."""
    found = placeholders(spec.subject or "")
    for text in _texts(spec).values():
        found += placeholders(text)
    return list(dict.fromkeys(found))


class EmailCampaignKind(CampaignKind):
    name: ClassVar[str] = "emailCampaign"
    noun: ClassVar[str] = NOUN
    section: ClassVar[str] = "emailCampaigns"
    spec_type: ClassVar[type[SpecModel]] = EmailCampaignSpec
    capabilities: ClassVar[Capabilities] = Capabilities(
        list=op(Source.CODE, "GET /mail; list wrapper inferred; each campaign then read whole"),
        get=op(Source.CODE, "the state's field and values inferred"),
        create=op(
            Source.DOC,
            "POST /mail; then the subject and the content zip (seen in client code); a step "
            "that fails is resumed by the next apply; the CONTINUOUS sending mode inferred",
        ),
        update=op(
            Source.CODE,
            "PUT general data and subject, POST the content zip; reading the content back "
            "inferred; active: manual step, sent: blocked; target table and entity fixed",
        ),
        delete=op(Source.CODE, "with --prune; only in definition (documented)"),
    )
    endpoints: ClassVar[Endpoints] = Endpoints(
        category="email-campaigns",  # [DOC]
        version="v4",
        resource="mail",  # [DOC] POST /mail; list, get, delete [CODE]
        list_key="mailCampaigns",  # [INFER] the reference calls its items `mailCampaign`
        update=UpdateMethod.PUT,  # [CODE] PUT /mail/{id} with the create body
        delete=True,  # [CODE]; only in definition [DOC]
        created_id_key="campaignId",  # [DOC]
        detail=True,  # [DOC-3rd] a list gives part of each campaign
        parts=(
            Part(SUBJECT, "content/subject", write="PUT"),  # [CODE]
            # [CODE] the upload (part `inputFile`, `?charset=`); [INFER] reading it back.
            Part(CONTENT, "content/body", write="POST", format=PartFormat.ARCHIVE),
        ),
    )
    # [DOC] entity and database cannot be changed later; [CODE] the general data, the
    # subject and the content are changed in place (PUT /mail/{id}, its parts).
    fixed_source: ClassVar[Source] = Source.DOC
    changed_source: ClassVar[Source] = Source.CODE
    declared_only: ClassVar[frozenset[Path]] = frozenset(
        {("replyTo",), (SUBJECT,), (CONTENT,), ("state",)}
    )

    # -- manifests ----------------------------------------------------------------------------

    def complete(
        self, spec: SpecModel, entity: str, files: ManifestFiles
    ) -> tuple[SpecModel, list[Issue]]:
        spec, _ = super().complete(spec, entity, files)
        assert isinstance(spec, EmailCampaignSpec)
        if spec.content is None:
            return spec, []
        content, issues = load_content(spec.content, spec.languages, spec.encoding, files)
        # Content that could not be read whole is not compared, nor checked against.
        if any(not issue.warning for issue in issues):
            return spec, issues
        return spec.model_copy(update={"content": content}), issues

    def check(self, spec: SpecModel) -> list[Issue]:
        assert isinstance(spec, EmailCampaignSpec)
        issues = check_campaign(spec)
        if not known_encoding(spec.encoding):
            issues.append(Issue(("encoding",), f"{spec.encoding!r} is not an encoding"))
        return issues + _check_parameters(spec)

    def uses(self, entity: str, spec: SpecModel) -> list[Use]:
        """A personalisation named like a profile attribute is filled from it [DOC]; the
        campaign relies on it while it may still be sent (a sent one is history). Others
        are mapped in the UI (a link, a constant): not an error where no attribute has
        their name."""
        assert isinstance(spec, EmailCampaignSpec)
        if spec.state == SENT:
            return []
        table = spec.target(entity)
        return [
            Use(
                table,
                ("attributes", name),
                f"personalises ${{{name}}}",
                required=False,
                keeps=PERSONALISED_KEEPS,
                source=Source.DOC,
            )
            for name in personalised(spec)
            if name not in spec.parameters
        ]

    # -- comparing ----------------------------------------------------------------------------

    def canonical(self, spec: SpecModel) -> dict[str, JSON]:
        assert isinstance(spec, EmailCampaignSpec)
        out = canonical_campaign(spec)
        out["from"] = spec.from_
        if spec.replyTo is not None:
            out["replyTo"] = spec.replyTo
        out["encoding"] = spec.encoding.upper()  # ACTITO takes `utf-8` and `UTF-8` alike
        if spec.subject is not None:
            out[SUBJECT] = spec.subject
        if spec.content is not None and spec.content.files is not None:
            out[CONTENT] = canonical_content(spec.content.files, spec.encoding)
        return out

    def texts(self, spec: SpecModel) -> dict[Path, str]:
        assert isinstance(spec, EmailCampaignSpec)
        return _texts(spec)

    # -- payloads -----------------------------------------------------------------------------

    def spec_from_payload(self, payload: Mapping[str, JSON], names: NameLookup) -> SpecModel:
        """Built without validation: reading never fails on a value this version does not
        know. A subject or content not set yet is None; the subject is compared only where
        the manifest declares one, so None there plans setting it."""
        encoding = str(payload.get("encoding") or "UTF-8")
        subject = payload.get(SUBJECT)
        content = None
        if payload.get(CONTENT) is not None:
            files = archive.from_payload(payload[CONTENT])
            content = EmailContent.model_construct(html=SINGLE).holding(files)
        return EmailCampaignSpec.model_construct(
            **general_fields(payload),
            from_=str(payload.get("from") or ""),
            replyTo=payload.get("replyTo"),
            encoding=encoding,
            subject=subject.get(SUBJECT) if isinstance(subject, dict) else None,
            content=content,
            parameters=[],
        )

    def payload(
        self, spec: SpecModel, ids: IdLookup, live: Mapping[str, JSON] | None
    ) -> dict[str, JSON]:
        assert isinstance(spec, EmailCampaignSpec)
        managed: dict[str, Any] = {
            "contentType": "HTML",  # [DOC] its only value
            "encoding": spec.encoding,
            "from": spec.from_,
        }
        if spec.replyTo is not None:
            managed["replyTo"] = spec.replyTo
        return general_payload(spec, live, managed)

    def part_payload(self, spec: SpecModel, key: str) -> PartBody | None:
        assert isinstance(spec, EmailCampaignSpec)
        if key == SUBJECT:
            return None if spec.subject is None else PartBody(json={SUBJECT: spec.subject})
        if spec.content is None or spec.content.files is None:
            return None
        return PartBody(files=spec.content.files, params={"charset": charset(spec.encoding)})

    # -- export -------------------------------------------------------------------------------

    def exported(
        self, spec: SpecModel, address: Address, stem: str, safe: Callable[[str], str]
    ) -> Exported:
        """The content in a folder beside the manifest, named like it (`NAME/index.html`,
        `NAME/img/logo.png`…: the zip as it was); the state only when it is not
        `IN_DEFINITION`."""
        assert isinstance(spec, EmailCampaignSpec)
        document = exported_document(spec, address.entity, frozenset({CONTENT}))
        written: dict[str, bytes] = {}
        if spec.content is not None and spec.content.files is not None:
            document["content"] = _export_content(spec.content.files, stem, safe, written)
        return Exported(document, written)


def _texts(spec: EmailCampaignSpec) -> dict[Path, str]:
    if spec.content is None or spec.content.files is None:
        return {}
    return content_texts(spec.content.files, spec.encoding)


def _check_parameters(spec: EmailCampaignSpec) -> list[Issue]:
    issues: list[Issue] = []
    if spec.parameters and spec.sendingMode != "CONTINUOUS":
        message = "personalisations given by the API exist for CONTINUOUS campaigns only"
        issues.append(Issue(("parameters",), message + " [documented]"))
    used = set(personalised(spec))
    unread = spec.content is not None and spec.content.files is None
    for index, parameter in enumerate(spec.parameters):
        loc = ("parameters", index)
        if spec.parameters.index(parameter) != index:
            issues.append(Issue(loc, f"{parameter!r} is listed twice"))
        elif parameter not in used and unread:
            continue  # the content could not be read: its own error says why
        elif parameter not in used and spec.content is None:
            message = (
                f"${{{parameter}}} is not in the subject, and the content is not in the "
                "manifest: not checked against it"
            )
            issues.append(Issue(loc, message, warning=True))
        elif parameter not in used:
            where = "subject or content" if spec.subject is not None else "content"
            message = (
                f"${{{parameter}}} appears nowhere in the {where}: ACTITO would refuse a "
                "value the content does not personalise"
            )
            issues.append(Issue(loc, message))
    return issues


def _export_content(
    files: Mapping[str, bytes], stem: str, safe: Callable[[str], str], written: dict[str, bytes]
) -> dict[str, JSON]:
    """The zip as it was, in a folder named after the manifest: the HTML at its root, the
    other files at their paths (each part of a name made safe), the folder as assets."""
    keys = page_keys(files)
    located: dict[str, str] = {}
    for name, data in files.items():
        parts = [safe(part) for part in (name or "index.html").split("/")]
        path = "/".join([stem, *parts])
        written[path] = data
        if name in keys:
            located[keys[name]] = path
    html: JSON = located[SINGLE] if set(located) == {SINGLE} else dict(sorted(located.items()))
    out: dict[str, JSON] = {"html": html}
    if len(files) > len(keys):
        out["assets"] = stem
    return out
