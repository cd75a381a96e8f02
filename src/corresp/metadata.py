"""The publisher's metadata of an edition (edition.toml → `model.Publication`), checked once
before anything is built: an ISBN with a wrong check digit is an error (exit 3), never a book.

    publisher = "Northgate Academic Press"
    place = "Leeds"
    date = "2026-03-02"
    rights = "© 2026 Northgate Academic Press. Translation © the editors."
    license = "https://creativecommons.org/licenses/by-nc-nd/4.0/"
    series = "Documents of Soviet History"
    translators = ["S. Shabad"]
    certified_by = "Northgate Academic Press"
    [isbn]
    epub = "978-1-915247-21-6"
    pdf = "978-1-915247-11-7"
    print = "978-1-915247-01-8"
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from stdnum import isbn as _isbn
from stdnum.exceptions import ValidationError

from .errors import ConfigError
from .model import Edition, Publication

ISBN_FORMATS = ("epub", "pdf", "print")  # the EPUB, the PDF e-book, the printed book
FIELDS = ("publisher", "place", "date", "rights", "license", "series", "translators", "isbn",
          "certified_by", "cover")
COVER_MIN_SIDE = 1000  # px: e-book retailers ask at least this on the short side (1600 × 2400 is usual)
COVER_MAX_BYTES = 10 * 1024 * 1024
COVER_MAX_PIXELS = 40_000_000  # 5000 × 8000: more than any retailer asks; bounds the decoding's memory


def _decode(data: bytes, path, file: Optional[str]) -> None:
    """The whole image decodes (a header alone, or a truncated file, is not a cover), with
    its pixels bounded before anything is decoded."""
    import io
    import warnings
    from PIL import Image
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = COVER_MAX_PIXELS
            with Image.open(io.BytesIO(data)) as img:
                if img.width * img.height > COVER_MAX_PIXELS:
                    raise ConfigError(f"cover: {path} has too many pixels", file)
                img.load()
    except ConfigError:
        raise
    except (Exception, Image.DecompressionBombWarning) as exc:
        raise ConfigError(f"cover: {path} is not an image that decodes ({type(exc).__name__}: {exc})", file) from None


def image_size(data: bytes) -> Optional[tuple[str, int, int]]:
    """(media type, width, height) of a PNG or a JPEG, read from its header; None otherwise."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return "image/png", int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
            return ("image/jpeg", int.from_bytes(data[i + 7:i + 9], "big"),
                    int.from_bytes(data[i + 5:i + 7], "big"))
        i += 2 + length
    return None


def check_cover(path, file: Optional[str] = None) -> tuple[str, int, int]:
    """The cover must be a JPEG or PNG of a size a retailer takes; else a ConfigError."""
    from .files import read_regular
    data = read_regular(path, "cover", ConfigError, f"{file}: cover {path}" if file else f"cover {path}")
    if len(data) > COVER_MAX_BYTES:
        raise ConfigError(f"cover: {path} is {len(data) // 1024 // 1024} MB; at most 10 MB", file)
    info = image_size(data)
    if info is None:
        raise ConfigError(f"cover: {path} is neither a JPEG nor a PNG", file)
    if info[1] * info[2] > COVER_MAX_PIXELS:
        raise ConfigError(f"cover: {path} is {info[1]} × {info[2]} px; at most {COVER_MAX_PIXELS // 1_000_000} "
                          "million pixels", file)
    _decode(data, path, file)
    if min(info[1], info[2]) < COVER_MIN_SIDE:
        raise ConfigError(f"cover: {path} is {info[1]} × {info[2]} px; at least {COVER_MIN_SIDE} px on "
                          "the short side", file)
    return info


def check_isbn(value: str, where: str, file: Optional[str] = None) -> str:
    """The ISBN-13 (an ISBN-10 is converted), hyphenated; a bad one is a ConfigError."""
    try:
        number = _isbn.validate(value)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {value!r} is not a valid ISBN ({exc.message})", file) from None
    return _isbn.format(_isbn.to_isbn13(number))


def check_publication(pub: Publication, file: Optional[str] = None) -> Publication:
    unknown = sorted(set(pub.isbn) - set(ISBN_FORMATS))
    if unknown:
        raise ConfigError(f"isbn.{unknown[0]}: unknown format (one of {', '.join(ISBN_FORMATS)})", file)
    isbns = {k: check_isbn(v, f"isbn.{k}", file) for k, v in pub.isbn.items()}
    if len(set(isbns.values())) < len(isbns):
        raise ConfigError("isbn: two formats share one ISBN (each format has its own)", file)
    if pub.date:
        try:
            dt.date.fromisoformat(pub.date)
        except ValueError:
            raise ConfigError(f"date: {pub.date!r} is not an ISO date (YYYY-MM-DD)", file) from None
    if pub.license:
        check_license(pub.license, file)
    return pub.model_copy(update={"isbn": isbns})


def check_license(url: str, file: Optional[str] = None) -> str:
    """The licence is printed as a link in every format: an http or https URL only (never
    `javascript:`, `data:` or `file:`), without spaces or control characters."""
    from urllib.parse import urlsplit
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc \
            or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url.strip()):
        raise ConfigError(f"license: {url[:80]!r} is not an http or https URL (it is printed as a link)", file)
    return url


def publication(edition: Edition) -> Publication:
    return edition.publication or Publication()


def isbn_urn(edition: Edition, fmt: str) -> Optional[str]:
    number = publication(edition).isbn.get(fmt)
    return f"urn:isbn:{number.replace('-', '')}" if number else None
