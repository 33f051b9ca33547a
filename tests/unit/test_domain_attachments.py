"""Attachment names keep no path parts or misleading characters."""

from __future__ import annotations

import pytest

from hub.domain.attachments import FALLBACK_NAME, clean_name, total_bytes, with_clean_names


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system.ini", "system.ini"),
        ("C:\\Users\\wang\\合同.pdf", "合同.pdf"),
        ("C:合同.pdf", "合同.pdf"),
        ("/var/lib/hub/hub.db", "hub.db"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # a bidi override would show "exe.pdf"
        ("a\u200bb\u0000c.txt", "abc.txt"),
        ("..", FALLBACK_NAME),
        ("dir/", FALLBACK_NAME),
        ("  照片 1.jpg ", "照片 1.jpg"),
        ("x" * 300 + ".pdf", "x" * 255),
    ],
)
def test_clean_name(given: str, kept: str) -> None:
    assert clean_name(given) == kept


def test_sizes_and_copies() -> None:
    items = [{"name": "a/b.pdf", "size": 10}, {"name": "c.png", "size": 5}]
    assert total_bytes(items) == 15
    assert [i["name"] for i in with_clean_names(items)] == ["b.pdf", "c.png"]
    assert items[0]["name"] == "a/b.pdf"  # the caller's dicts are not changed
