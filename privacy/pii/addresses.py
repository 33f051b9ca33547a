"""Addresses in free text: a road, estate, village or district keyword with a house
number or unit after it and the place name before it ("浦东新区张杨路1200弄5号"), villages
and their hamlets ("镇中步村陆家宅18号"), and after a residence cue ("家住", "住址：") a
place without a number ("家住张家庄村"). Adjacent finds are merged into one address.
"""

from __future__ import annotations

import re

from privacy.pii.patterns import HAN, Candidate, DetectorEntry

# Characters that do not occur inside place names but often just before one.
_ADDR_STOP = "住在于位址的是与到从向及被称为了至往去来前后时对给把将并而或其该此系、"

# Units after a place: "12号", "B2栋", "A座", "第三村民小组", "5-2-301室", "东区".
_ADDR_UNIT = (
    r"(?:第?[A-Za-z]{0,2}[\d一二三四五六七八九十百零〇]+[甲乙丙丁]?"
    r"(?:号楼|号院|号铺|号|弄|支弄|栋|幢|座|单元|室|层|楼|村民小组|小组|生产队|组|队|户|栋楼|期|区|排|铺)"
    r"[甲乙丙丁]?"
    r"|[A-Za-z]{1,2}(?:座|栋|幢|区|单元|楼)|[东西南北中](?:区|苑|块))"
)
# A bare number ("中山路88", "锦绣家园12-3-501") counts only after a road or an estate,
# not after 区 ("本区3个街道").
_ADDR_UNIT_ANY = r"(?:" + _ADDR_UNIT + r"|[A-Za-z]?\d+(?:-\d+){0,3}室?)"
# A place beside a landmark: "新义村村委会旁12号", "路口对面3号".
_LOCATOR = r"(?:旁边|旁|对面|附近|隔壁|边上|后面|前面|[东西南北]侧)"
_ADDRESS_CORE = re.compile(
    r"(?:(?:大道|公路|路|街|巷|弄|村|胡同|镇|小区|花园|新村|公寓|大厦|广场|中心"
    # estates named without 小区: 馨佳园, 金桥新城, 锦绣华庭, 御景苑, 世茂府, 星河湾
    r"|园|城|庭|苑|府|湾|邸|居)"
    rf"(?:(?:村?委会|居委会)?{_LOCATOR}?\s?{_ADDR_UNIT_ANY})+"
    # development zones and districts: "漕河泾开发区宜山路…", "工业区3号厂房"
    rf"|(?:区|坊|里)(?:{_LOCATOR}?\s?{_ADDR_UNIT})+)"
)
_ADDR_BACK = 24  # at most this many place-name characters before the road keyword
_ADDR_STOPSET = frozenset(_ADDR_STOP)


# A hamlet inside a village: "中步村陆家宅18号", "大裕村沈家宅", "星火村东埭".
_HAMLET = rf"(?:[{HAN}]{{1,3}}?(?:宅|埭|浜|港|圩|塘|头|队))?"
_VILLAGE = re.compile(
    rf"(?:镇|乡|街道)[{HAN}]{{1,8}}?(?:村|社区)(?:村?委会|村?委员会|居委会)?{_HAMLET}"
    rf"(?:{_LOCATOR}?\s?{_ADDR_UNIT_ANY})*"
)


# After a residence cue ("家住", "住址：", "户籍地为"), a place without a house number
# ("家住张家庄村", "住址：河北省邢台市南和县"): the run up to its last place character.
_ADDRESS_CUED = re.compile(
    r"(?:住址|地址|住所地|住所|家住|现住|住在|居住在|居住于|住于|暂住|租住|户籍地|户籍所在地|籍贯"
    r"|经营地点|经营地址|营业地址|送达地址|通讯地址|联系地址|位于|坐落于)"
    rf"(?:为|是|在|于)?[:：\s]*([{HAN}A-Za-z0-9#\-]{{2,40}})"
)
_PLACE_END = re.compile(r".*[省市区县旗镇乡村屯寨庄组队号室弄栋幢楼路街巷道里坊苑园]", re.DOTALL)
_ADMIN = re.compile(r"[省市区县旗镇乡村街路巷弄组里坊]")
_RURAL_END = frozenset("村组屯寨庄")
_DIGIT = re.compile(r"\d")


def _cued_addresses(text: str, found: list[tuple[int, int]]) -> None:
    for m in _ADDRESS_CUED.finditer(text):
        body = _PLACE_END.match(m.group(1))
        if body is None or len(body.group()) < 3:
            continue
        place = body.group()
        if _DIGIT.search(place) or len(_ADMIN.findall(place)) >= 2 or place[-1] in _RURAL_END:
            found.append((m.start(1), m.start(1) + len(place)))


def _addresses(text: str, out: list[Candidate]) -> None:
    found: list[tuple[int, int]] = []
    _cued_addresses(text, found)
    for m in (*_ADDRESS_CORE.finditer(text), *_VILLAGE.finditer(text)):
        start = m.start()
        limit = max(0, start - _ADDR_BACK)
        while start > limit:
            ch = text[start - 1]
            if not ("\u4e00" <= ch <= "\u9fff") or ch in _ADDR_STOPSET:
                break
            start -= 1
        if start < m.start():  # a bare "路12号" with no name before it is not an address
            found.append((start, m.end()))
    # "真北路12号梅陇三村2号楼3室": a road's number and the estate after it, one address.
    found.sort()
    merged: list[list[int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out.extend((start, end, "address") for start, end in merged)


DETECTORS: tuple[DetectorEntry, ...] = (
    ("plain", "路街巷弄村同镇区园寓厦场心组城庭苑府湾邸居坊里住址籍于", "", _addresses),
)
