"""An e-mail campaign's content: its HTML and the files it uses, read, compared and sent.

Sent as ACTITO takes it [CODE]: one zip, HTML at its root, uploaded in the multipart part
`inputFile` with `?charset=`. A campaign in one language holds `index.html` [INFER: the name
of a single file is not documented]; one in several holds one `index_<language>.html` each
[DOC: "index followed by the ISO code of the language"]; images and other files keep their
path from the HTML's folder (the assets folder is that folder or one inside it), so that the
HTML's relative links work unchanged. ACTITO refuses a zip over 4 MB [DOC]; it advises images under
200 kB [DOC] (a warning here).

Compared by content, never by upload time: each HTML is decoded with the campaign's encoding
and normalised — line endings as LF, trailing whitespace stripped from each line, a leading
byte-order mark and trailing blank lines dropped — so that an editor's or ACTITO's handling of
line ends can never make a perpetual difference. The canonical form holds its digest and line
count (the plan shows a line diff beside it); other files are compared by their bytes' digest.

Personalisation is written `${name}` [DOC: "the $ tag followed by the name … between curly
brackets", no special characters or spaces]; `placeholders` finds them.
"""

from __future__ import annotations

import codecs
import hashlib
import posixpath
import re
from collections.abc import Mapping

from pydantic import Field, PrivateAttr

from actito_iac import archive
from actito_iac.kinds.base import FileProblem, ManifestFiles
from actito_iac.vocabulary import JSON, Issue, Model, Path

MAX_ZIP = 4 * 1024 * 1024
"""[DOC] "The maximum size of the ZIP is 4 Mb"; no single file can be larger either."""
ADVISED_IMAGE = 200 * 1024
"""[DOC] "We advise that each image should not weigh over 200 kb"."""
PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")
SINGLE = ""
"""The language key of a campaign's only HTML file (a campaign in one language)."""
_HTML = re.compile(r"(?i)[^/]+\.html?")
_BY_LANGUAGE = re.compile(r"(?i)index_([a-z]{2})\.html?")
_IMAGE = re.compile(r"(?i).+\.(png|jpe?g|gif|webp|svg|bmp)")


class EmailContent(Model):
    """The campaign's HTML, from files beside the manifest."""

    html: str | dict[str, str] = Field(
        description="The HTML file (a path relative to the manifest), or one per language "
        "for a campaign in several: {FR: fr.html, EN: en.html}."
    )
    assets: str | None = Field(
        default=None,
        description="A folder (relative to the manifest) of the images and other files the "
        "HTML uses by relative path; zipped with it.",
    )
    _files: dict[str, bytes] | None = PrivateAttr(default=None)

    @property
    def files(self) -> dict[str, bytes] | None:
        """The zip's files (name → bytes), once read; None when not read."""
        return self._files

    def holding(self, files: Mapping[str, bytes]) -> EmailContent:
        copy = self.model_copy()
        copy._files = dict(files)
        return copy


def html_name(language: str) -> str:
    return "index.html" if language == SINGLE else f"index_{language.lower()}.html"


def charset(encoding: str) -> str:
    """The upload's `charset` parameter: `utf8` for UTF-8 [CODE]; other encodings written
    the same way, lower case without dashes (`iso885915`) [INFER]."""
    return re.sub(r"[^a-z0-9]", "", encoding.lower())


def known_encoding(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


# -- reading the manifest's files -------------------------------------------------------------


def load_content(
    content: EmailContent, languages: list[str], encoding: str, files: ManifestFiles
) -> tuple[EmailContent, list[Issue]]:
    """The content with its files read (the zip's layout), and every problem found.

    The zip mirrors the files as they lie: its root is the HTML's folder, and each file of
    the assets folder — that folder or one inside it — keeps its path from there, so the
    HTML's relative links (`img/logo.png`) reach the same files in ACTITO."""
    issues: list[Issue] = []
    layout: dict[str, bytes] = {}
    pages = _html_files(content, languages, issues)
    for language, relative, loc in pages:
        data = _read(files, relative, loc, issues)
        if data is None:
            continue
        if known_encoding(encoding):
            try:
                data.decode(encoding)
            except UnicodeDecodeError as exc:
                message = f"{relative!r} is not {encoding} text (byte {exc.start:,} cannot be read)"
                issues.append(Issue(loc, message))
        layout[html_name(language)] = data
    folders = {posixpath.dirname(_clean(relative)) for _, relative, _ in pages}
    if len(folders) > 1:
        message = "keep the HTML files of all languages in one folder (the zip's root)"
        issues.append(Issue(("content", "html"), message))
    elif content.assets is not None and folders:
        root = folders.pop()
        pages_at = {_clean(relative) for _, relative, _ in pages}
        _read_assets(content.assets, root, pages_at, files, layout, issues)
    if not any(not i.warning for i in issues) and len(archive.pack(layout)) > MAX_ZIP:
        message = f"the HTML and its files make a zip over ACTITO's {MAX_ZIP // 2**20} MB limit"
        issues.append(Issue(("content",), message))
    return content.holding(layout), issues


def _clean(relative: str) -> str:
    return posixpath.normpath(relative.replace("\\", "/"))


def _html_files(
    content: EmailContent, languages: list[str], issues: list[Issue]
) -> list[tuple[str, str, tuple[str | int, ...]]]:
    """(language key, path, where in the manifest) of each HTML file the content names."""
    html = content.html
    if isinstance(html, str):
        if len(languages) > 1:
            issues.append(
                Issue(
                    ("content", "html"),
                    "a campaign in several languages needs one HTML file per language "
                    "[documented]: html: {" + ", ".join(f"{x}: …" for x in languages) + "}",
                )
            )
            return []
        return [(SINGLE, html, ("content", "html"))]
    out: list[tuple[str, str, tuple[str | int, ...]]] = []
    for language, relative in html.items():
        loc = ("content", "html", language)
        if language not in languages:
            issues.append(Issue(loc, f"{language!r} is not one of the campaign's languages"))
            continue
        out.append((SINGLE if len(languages) == 1 else language, relative, loc))
    missing = [x for x in languages if x not in html]
    if missing:
        issues.append(Issue(("content", "html"), f"no HTML file for {', '.join(missing)}"))
    return out


def _read_assets(
    folder: str,
    root: str,
    pages: set[str],
    files: ManifestFiles,
    layout: dict[str, bytes],
    issues: list[Issue],
) -> None:
    loc = ("content", "assets")
    base = _clean(folder)
    inside = "" if base == root else posixpath.relpath(base, root or ".")
    if inside.startswith(".."):
        where = f"{root!r}" if root else "the manifest's folder"
        message = (
            f"{folder!r} is not inside the HTML's folder ({where}): the zip's root is the HTML's "
            "folder, and its links reach only files below it"
        )
        issues.append(Issue(loc, message))
        return
    try:
        names = files.listing(folder)
    except FileProblem as problem:
        issues.append(Issue(loc, str(problem)))
        return
    for name in names:
        if posixpath.join(base, name) in pages:
            continue  # the campaign's own HTML, when the assets are its folder
        entry = posixpath.join(inside, name) if inside else name
        if _HTML.fullmatch(entry):
            message = (
                f"{entry!r} would be an HTML file at the zip's root, read as the campaign's "
                "page: keep other HTML files in a sub-folder"
            )
            issues.append(Issue(loc, message))
            continue
        data = _read(files, f"{folder}/{name}", loc, issues)
        if data is None:
            continue
        layout[entry] = data
        if _IMAGE.fullmatch(name) and len(data) > ADVISED_IMAGE:
            message = (
                f"{name!r} weighs {len(data) // 1024:,} kB; ACTITO advises images under "
                f"{ADVISED_IMAGE // 1024} kB"
            )
            issues.append(Issue(loc, message, warning=True))


def _read(
    files: ManifestFiles, relative: str, loc: tuple[str | int, ...], issues: list[Issue]
) -> bytes | None:
    try:
        return files.read(relative, MAX_ZIP)
    except FileProblem as problem:
        issues.append(Issue(loc, str(problem)))
        return None


# -- comparing ----------------------------------------------------------------------------------


def normalised(data: bytes, encoding: str) -> str:
    """The HTML as it is compared (see the module's docstring). An undecodable byte (only
    in what the licence holds: a manifest's file is checked when read) becomes U+FFFD."""
    codec = encoding if known_encoding(encoding) else "utf-8"
    text = data.decode(codec, errors="replace").removeprefix("\ufeff")
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def page_keys(files: Mapping[str, bytes]) -> dict[str, str]:
    """The zip's HTML pages: zip name → language key. One HTML file at the root is the
    campaign's only one; several are keyed by the language their name says (`index_fr.html`
    → FR), or by their name when it says none."""
    pages = [n for n in files if n == archive.ONE_FILE or _HTML.fullmatch(n)]
    if len(pages) == 1:
        return {pages[0]: SINGLE}
    keys = {}
    for name in pages:
        match = _BY_LANGUAGE.fullmatch(name)
        keys[name] = match.group(1).upper() if match else name
    return keys


def split(files: Mapping[str, bytes]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(HTML by language key, the other files by name) of a zip's files."""
    keys = page_keys(files)
    pages = {key: files[name] for name, key in keys.items()}
    return pages, {n: d for n, d in files.items() if n not in keys}


def texts(files: Mapping[str, bytes], encoding: str) -> dict[Path, str]:
    pages, _ = split(files)
    return {
        ("content", "html", *([language] if language != SINGLE else [])): normalised(data, encoding)
        for language, data in pages.items()
    }


def canonical_content(files: Mapping[str, bytes], encoding: str) -> dict[str, JSON]:
    pages, others = split(files)
    digests = {language: _text_digest(normalised(d, encoding)) for language, d in pages.items()}
    html: JSON = digests[SINGLE] if set(digests) == {SINGLE} else dict(sorted(digests.items()))
    out: dict[str, JSON] = {"html": html}
    if others:
        out["assets"] = {name: _file_digest(others[name]) for name in sorted(others)}
    return out


def _text_digest(text: str) -> str:
    """What the plan holds of an HTML page: its digest and size (the diff shows the rest)."""
    data = text.encode()
    lines = text.count("\n") + 1 if text else 0
    unit = "line" if lines == 1 else "lines"
    return f"sha256:{hashlib.sha256(data).hexdigest()[:12]} · {lines:,} {unit}, {len(data):,} bytes"


def _file_digest(data: bytes) -> str:
    return f"sha256:{hashlib.sha256(data).hexdigest()[:12]} · {len(data):,} bytes"


def placeholders(text: str) -> list[str]:
    """The personalisations `${name}` a text uses, in order of first use."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))
