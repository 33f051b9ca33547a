"""Telling the Shanghai district from an address as people write it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hub.domain.places import district_of

CODES = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "codes" / "districts.json").read_text()
)


@pytest.mark.parametrize(
    ("address", "code", "by"),
    [
        ("上海市徐汇区漕溪北路1号", "310104", "district"),
        ("上海 徐汇区 天钥桥路 580 号 3 楼", "310104", "district"),
        ("浦东新区张江镇科苑路88号", "310115", "district"),
        ("张江镇科苑路88号2幢", "310115", "street"),  # the town alone
        ("上海市卢湾区淮海中路300号", "310101", "former"),
        ("闸北区天目西路218号", "310106", "former"),
        ("南汇区惠南镇城南路", "310115", "former"),
        ("崇明县城桥镇八一路", "310151", "former"),
        ("七宝镇七莘路3655号", "310112", "street"),
        ("上海市天平路街道衡山路", "310104", "street"),
        ("天平路街道某小区5号楼", "310104", "street"),
        ("上海市宝山区顾村镇菊泉街88弄", "310113", "district"),
        ("奉贤区南桥镇解放东路", "310120", "district"),
        ("ＳＨ 静安区南京西路１２６６号", "310106", "district"),  # full-width
        ("上海市青浦区朱家角镇北大街", "310118", "district"),
    ],
)
def test_districts_from_addresses(address: str, code: str, by: str) -> None:
    match = district_of(address)
    assert match is not None, address
    assert (match.code, match.by) == (code, by)
    assert match.name == CODES[code]


@pytest.mark.parametrize(
    "address",
    [
        "",
        "北京市朝阳区建国路88号",
        "江苏省昆山市花桥镇",
        "浙江省嘉兴市平湖市",
        "上海市",  # the city, no district
        "某某路100号",
    ],
)
def test_no_district_when_it_cannot_be_told(address: str) -> None:
    assert district_of(address) is None


def test_the_first_named_unit_wins() -> None:
    """The larger unit comes first in a Chinese address: 徐汇区 before a street elsewhere."""
    match = district_of("上海市徐汇区七宝镇路口对面")
    assert match is not None and match.code == "310104"


def test_every_district_and_its_streets_are_known() -> None:
    for code, name in CODES.items():
        assert district_of(f"上海市{name}某路1号").code == code  # type: ignore[union-attr]
