"""edition.toml: a publisher describes a volume once.

    title = "Stalin and Kaganovich. Correspondence. 1931–1936"
    subtitle = "August 1935"
    editors = ["O. V. Khlevniuk", "R. W. Davies"]
    language = "en"            # default: detected from the sources
    notes = "per-document"     # or "continuous"
    sources = ["seeds/1935-08.txt", "seeds/1935-09.txt"]   # one chapter each, in this order
    style = "styles"
    typography = false         # print the source's quotes and hyphens (default: the style's typography.toml)
    name = "stalin-kaganovich"  # output base name
    output = "output"
    corrections = ["fixes.corrections.toml"]  # besides each source's own <source>.corrections.toml
    publisher = "…"; place = "…"; date = "2026-03-02"; rights = "…"; license = "URL"; series = "…"
    translators = ["…"]; certified_by = "…"   # see corresp.metadata
    isbn = { epub = "978-…", pdf = "978-…", print = "978-…" }   # checked by checksum
    base_url = "https://example.org/letters/"   # where the web edition (-f web) will live

Paths are relative to the file. Command-line options override every field.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import ConfigError

DEFAULT_FILE = "edition.toml"


class EditionConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Optional[str] = None
    subtitle: Optional[str] = None
    editors: list[str] = []
    # The author of collected works: the sender of letters whose titles name only recipients.
    author: Optional[str] = None
    language: Optional[str] = None
    notes: Optional[Literal["per-document", "continuous"]] = None
    sources: list[Path] = []
    style: Optional[Path] = None
    name: Optional[str] = None
    output: Optional[Path] = None
    corrections: list[Path] = []  # corrections files for the whole edition (corresp.corrections)
    # the publisher's metadata (corresp.metadata, model.Publication)
    publisher: Optional[str] = None
    place: Optional[str] = None
    date: Optional[str] = None
    rights: Optional[str] = None
    license: Optional[str] = None
    series: Optional[str] = None
    translators: list[str] = []
    isbn: dict[str, str] = {}
    certified_by: Optional[str] = None
    cover: Optional[Path] = None  # the cover image, JPEG or PNG
    # Where the web edition will be published: its permanent URLs, the CMIF's letter @ref.
    base_url: Optional[str] = None
    typography: Optional[bool] = None  # house typography in the PDF, EPUB, DOCX (default: the style's)

    def fields_set(self) -> list[str]:
        """The settings the file holds, in the order of the model."""
        return [k for k in type(self).model_fields if k in self.model_fields_set]

    def edition_fields(self) -> dict:
        fields = {"title": self.title, "subtitle": self.subtitle, "language": self.language,
                  "author": self.author}
        fields = {k: v for k, v in fields.items() if v}
        if self.editors:
            fields["editors"] = self.editors
        from .metadata import FIELDS
        from .model import Publication
        publication = {k: getattr(self, k) for k in FIELDS if k in self.model_fields_set}
        if publication.get("cover") is not None:
            publication["cover"] = str(publication["cover"])
        if publication:
            fields["publication"] = Publication(**publication)
        return fields

    def set_value(self, assignment: str) -> None:
        """`--set key=value`: a text field, a list (comma-separated) or `isbn.epub=…`."""
        key, sep, value = assignment.partition("=")
        key, value = key.strip(), value.strip()
        name, _, sub = key.partition(".")
        if not sep or name not in SETTABLE or (sub and name != "isbn") or (name == "isbn" and not sub):
            raise ConfigError(f"--set {assignment!r}: give KEY=VALUE, KEY one of "
                              f"{', '.join(SETTABLE)}, isbn.epub, isbn.pdf, isbn.print")
        if name == "isbn":
            value = {**self.isbn, sub: value}
        elif name in ("editors", "translators"):
            value = [v.strip() for v in value.split(",") if v.strip()]
        elif name == "base_url":
            value = check_base_url(value, f"--set {assignment}")
        elif name == "cover":
            from .metadata import check_cover
            value = Path(value)
            check_cover(value, f"--set {assignment}")
        setattr(self, name, value)
        if name == "isbn" or name in ("date",):
            from .metadata import check_publication
            from .model import Publication
            self.isbn = check_publication(Publication(isbn=self.isbn, date=self.date)).isbn


SETTABLE = ("title", "subtitle", "editors", "author", "publisher", "place", "date", "rights", "license", "series",
            "translators", "isbn", "certified_by", "cover", "base_url")


def check_base_url(url: str, where: Optional[str] = None) -> str:
    """An absolute http(s) URL without query or fragment, ending in `/` (added if missing)."""
    from urllib.parse import urlsplit
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment \
            or any(c.isspace() for c in url.strip()):
        raise ConfigError(f"base_url: {url[:80]!r} is not an http(s) address without query or fragment "
                          "(say where the web edition will live: base_url = \"https://example.org/letters/\")",
                          where)
    url = url.strip()
    return url if url.endswith("/") else url + "/"


def load(path: Path) -> EditionConfig:
    from .validate import language_tag, read_toml
    if path.is_dir():
        raise ConfigError("is a folder, not an edition.toml", str(path))
    data = read_toml(path, "config")  # one-line errors, a file nested thousands deep too
    try:
        config = EditionConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"{field}: {err['msg'][:200]}", str(path)) from None
    except RecursionError:
        raise ConfigError("nested too deeply", str(path)) from None
    if config.language is not None:
        language_tag(config.language, str(path))
    from .metadata import check_publication
    from .model import Publication
    checked = check_publication(Publication(isbn=config.isbn, date=config.date), str(path))
    if config.isbn:
        config.isbn = checked.isbn
    if config.base_url is not None:
        config.base_url = check_base_url(config.base_url, str(path))
    if config.cover is not None:
        if not config.cover.is_absolute():
            config.cover = path.parent / config.cover
        from .metadata import check_cover
        check_cover(config.cover, str(path))
    base = path.parent
    if config.sources:  # (assigning a field marks it set: only what the file holds)
        config.sources = [s if s.is_absolute() else base / s for s in config.sources]
    if config.corrections:
        config.corrections = [c if c.is_absolute() else base / c for c in config.corrections]
    for key in ("style", "output"):
        value = getattr(config, key)
        if value is not None and not value.is_absolute():
            setattr(config, key, base / value)
    return config
