"""One case per rule of the scrubber added for text it was not tuned on (issue 11 item 4):
each sentence is written here, in phrasing of its own, and the value must be gone after
scrubbing; sentences without personal data must come out unchanged."""

import pytest

from privacy.pii import find_pii, scrub


def _covered(text: str, value: str) -> bool:
    start = text.index(value)
    end = start + len(value)
    spans = find_pii(text)
    return all(any(s.start <= i < s.end for s in spans) for i in range(start, end))


ADDRESSES = [
    # lettered buildings and blocks
    ("公司搬到了滨江路88号C3栋12楼，新址离地铁站很近。", "滨江路88号C3栋12楼"),
    ("材料请寄到万达广场B座2105，前台代收。", "万达广场B座2105"),
    # development zones, industrial parks
    ("工厂设在松江工业区荣乐东路2369号，占地很大。", "松江工业区荣乐东路2369号"),
    ("他在临港产业园区新元南路6号上班。", "临港产业园区新元南路6号"),
    # estates with sub-areas and dashed house numbers
    ("老人独居在甘泉新村北区7号楼203室。", "甘泉新村北区7号楼203室"),
    ("住址为锦绣家园12-3-501，平时白天没人。", "锦绣家园12-3-501"),
    # villages and village groups
    ("他们老家在石门村第四村民小组，离镇上十公里。", "石门村第四村民小组"),
    ("我爸住在陈家庄村二组，腿脚不方便。", "陈家庄村二组"),
    # after a residence cue, without a house number
    ("户籍地为湖南省邵阳市隆回县，常年在外打工。", "湖南省邵阳市隆回县"),
    ("被申请人家住后山村，务农为生。", "后山村"),
    ("请把判决书送到送达地址：翠湖路步云里", "翠湖路步云里"),
]


@pytest.mark.parametrize(("text", "value"), ADDRESSES)
def test_addresses(text: str, value: str) -> None:
    assert _covered(text, value), (text, find_pii(text))


CLEAN = [
    "他们一家人住在一起，关系很好。",
    "调解地点在街道调解室，请准时到达。",
    "办公楼位于市中心，交通便利。",
    "住在楼上的那户人家经常很晚回来。",
    "这里有3户人家反映过同样的问题。",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_sentences_are_left_alone(text: str) -> None:
    assert scrub(text) == text, find_pii(text)
