"""decode.py: bytes -> text, and the one-line errors for what is not text."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from newsdesk.errors import BinaryInputError, EmptyInputError, InputTooLargeError
from newsdesk.ingest.decode import binary_kind, decode_bytes, read_bytes

RUSSIAN = (
    "Глава Чечни Рамзан Кадыров назвал трусами россиян, которые уезжают из страны, "
    "чтобы избежать мобилизации. Жители республики рассказали, что всё больше людей "
    "выступают против войны."
)
FRENCH = (
    "Le président a déclaré à la presse que l’économie était « forte » et que les "
    "élèves étrangers étaient bienvenus dans les écoles de la région — c’était prévu."
)


def test_utf8_passes_through():
    assert decode_bytes("Grüße, “quoted”".encode(), "a.txt") == "Grüße, “quoted”"


def test_utf8_bom_is_removed():
    assert decode_bytes(codecs.BOM_UTF8 + b"Title\nBody", "a.txt") == "Title\nBody"


def test_utf16_with_bom_is_text_not_binary():
    assert decode_bytes("Headline\nText".encode("utf-16"), "a.txt") == "Headline\nText"


def test_cp1251_russian_is_decoded():
    assert decode_bytes(RUSSIAN.encode("cp1251"), "ru.txt") == RUSSIAN


def test_cp1252_western_text_is_decoded():
    assert decode_bytes(FRENCH.encode("cp1252"), "fr.txt") == FRENCH


def test_declared_charset_used_when_not_utf8():
    data = "Škoda řekla, že výroba poběží dál.".encode("cp1250")
    assert decode_bytes(data, "cz.html", declared="cp1250") == "Škoda řekla, že výroba poběží dál."


def test_newlines_are_normalised():
    assert decode_bytes(b"a\r\nb\rc\n", "a.txt") == "a\nb\nc\n"


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_empty_is_rejected_naming_the_file(data):
    with pytest.raises(EmptyInputError) as info:
        decode_bytes(data, "news/empty.txt")
    assert str(info.value).startswith("news/empty.txt: ")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF document"),
        (b"plain start\x00\x00\x00 then NULs", "NUL bytes"),
        (bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 50, "mostly non-text bytes"),
    ],
)
def test_binary_is_rejected_with_its_kind(data, kind):
    assert binary_kind(data) == kind
    with pytest.raises(BinaryInputError, match=rf"^photo\.txt: binary content \({kind}\)"):
        decode_bytes(data, "photo.txt")


def test_too_large_is_refused_from_file_size(tmp_path: Path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(InputTooLargeError) as info:
        read_bytes(path, max_bytes=1000)
    assert str(info.value).startswith(f"{path}: file is 5,000 bytes, over the limit of 1,000")


def test_empty_file_is_refused(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.touch()
    with pytest.raises(EmptyInputError, match="empty.txt: file is empty"):
        read_bytes(path, max_bytes=1000)
