"""Addresses in free text: a road, estate, village or district keyword with a house
number or unit after it and the place name before it ("浦东新区张杨路1200弄5号"), villages
and their hamlets ("镇中步村陆家宅18号"), and after a residence cue ("家住", "住址：") a
place without a number ("家住张家庄村"). Adjacent finds are merged into one address.
"""

from __future__ import annotations

import re

from privacy.pii.patterns import HAN, Candidate, DetectorEntry, han_except, latin_stretches

# Characters that do not occur inside place names but often just before one.
_ADDR_STOP = "住在于位址的是与到从向及被称为了至往去来前后时对给把将并而或其该此系、"

# Units after a place: "12号", "B2栋", "A座", "第三村民小组", "5-2-301室", "东区".
# Also the buildings of a works ("7号厂房", "3号仓库"), a house number's annex ("14号附3号")
# and its sub-number ("862号之三").
_ADDR_UNIT = (
    r"(?:(?:第|附|[东西南北中前后上下](?=[\d一二三四五六七八九十]))?[A-Za-z]{0,2}"
    r"[\d一二三四五六七八九十百零〇]+[甲乙丙丁]?"
    r"(?:号楼|号院|号铺|号厂房|号仓库|号车间|号库房|号|弄|支弄|栋|幢|座|单元|室|层|楼"
    r"|村民小组|小组|生产队|组|队|社|户|栋楼|期|区|排|铺)"
    r"[甲乙丙丁]?"
    r"|之[一二三四五六七八九十]{1,3}|宿舍[A-Za-z]?\d{1,4}"
    # a parking space: "地下车库B2-117"
    r"|(?:地下)?(?:车库|停车场)[A-Za-z]?\d{0,2}-?\d{1,4}号?"
    r"|[A-Za-z]{1,2}(?:座|栋|幢|区|单元|楼)|[东西南北中](?:区|苑|块))"
)
# A bare number ("中山路88", "锦绣家园12-3-501") counts only after a road or an estate,
# not after 区 ("本区3个街道").
_ADDR_UNIT_ANY = (
    r"(?:" + _ADDR_UNIT + r"|[A-Za-z]?\d+(?:-\d+){0,3}室?(?![\d年月日元万个人天岁次%.]))"
)
# A place beside a landmark: "新义村村委会旁12号", "路口对面3号".
_LOCATOR = r"(?:旁边|旁|对面|附近|隔壁|边上|后面|前面|[东西南北]侧)"
_ADDRESS_CORE = re.compile(
    # (and villages called 庄, 屯, 寨, 堡, roads called 道: "李家庄12号", "南京道8号")
    r"(?:(?:大道|公路|路|街|巷|弄|村|胡同|镇|小区|花园|新村|公寓|大厦|广场|中心|庄|屯|寨|堡|道"
    # estates named without 小区: 馨佳园, 金桥新城, 锦绣华庭, 御景苑, 世茂府, 星河湾
    r"|园|城|庭|苑|府|湾|邸|居)"
    rf"(?:(?:村?委会|居委会)?{_LOCATOR}?\s?{_ADDR_UNIT_ANY})+"
    # development zones and districts: "漕河泾开发区宜山路…", "工业区3号厂房"
    rf"|(?:区|坊|里)(?:{_LOCATOR}?\s?{_ADDR_UNIT})+)"
)
_ADDR_BACK = 24  # at most this many place-name characters before the road keyword
_ADDR_STOPSET = frozenset(_ADDR_STOP)
_ADDR_CHAR = han_except(_ADDR_STOP)  # a character of a place name


# A hamlet inside a village: "中步村陆家宅18号", "大裕村沈家宅", "星火村东埭".
# Named groups too ("黄楼村南港组", "东门村委下屋组", "石龙村7社"), and the Mongolian
# township, village and hamlet: 苏木, 嘎查, 浩特 ("宝力根苏木巴彦宝拉格嘎查第三浩特").
_HAMLET = rf"(?:[{HAN}]{{1,3}}?(?:宅|埭|浜|港|圩|塘|头|队|组|社|浩特)组?)?"
# Inside a village's name the characters that usually end a place's run may occur
# (向阳村, 前进村, 巴格其村), but not 的, 是, 在 or 和.
_VILLAGE_CHAR = han_except("住在于位址的是与到从及被称为了往去时对给把并而或该此系、和")
_VILLAGE = re.compile(
    rf"(?:镇|乡|街道|苏木){_VILLAGE_CHAR}{{1,8}}?(?:村|社区|嘎查)"
    rf"(?:村?委会|村?委员会|居委会|委)?{_HAMLET}"
    rf"(?:{_LOCATOR}?\s?{_ADDR_UNIT_ANY})*"
)


# After a residence cue ("家住", "住址：", "户籍地为"), a place without a house number
# ("家住张家庄村", "住址：河北省邢台市南和县"): the run up to its last place character.
_ADDRESS_CUED = re.compile(
    r"(?:住址|地址|住所地|住所|家住|现住|住在|居住在|居住于|住于|暂住|租住|户籍地|户籍所在地|籍贯"
    r"|经营地点|经营地址|营业地址|送达地址|通讯地址|联系地址|位于|坐落于"
    # where one comes from, moved or sent to, where a company is registered
    r"|老家|老家在|家在|来自|搬到|搬至|寄到|寄至|送到|送至|户口在|现居|暂居|注册地|注册地址"
    r"|办公地址|工作地点|事发地点|事故地点)"
    rf"(?:为|是|在|于)?[:：\s]*([{HAN}A-Za-z0-9#\-]{{2,40}})"
)
_PLACE_END = re.compile(r".*[省市区县旗镇乡村屯寨庄组队号室弄栋幢楼路街巷道里坊苑园]", re.DOTALL)
_ADMIN = re.compile(r"[省市区县旗镇乡村街路巷弄组里坊]")
_RURAL_END = frozenset("村组屯寨庄")
_DIGIT = re.compile(r"\d")
_FLAT = re.compile(r"\d室")


# Stop characters that also occur inside road and place names (莲前西路, 和平路, 向阳路,
# 来安县): crossed when a district or town ends at most two characters before them.
_SOFT_STOP = frozenset("前后和来向至将其")
_ADMIN_END = frozenset("省市区县镇乡道")  # 道: 街道


# (a place named 前海, 后沙峪 or 前门 right after 在/于/到/住, not 在前面, 到后来)
_LOCATIVE = frozenset("在于到住至")
_NOT_PLACE_AFTER = frozenset("面边方天期往头年日月段些台后来者述")


# A stop character right after a province or city that starts the name of the county,
# city or district after it ("江西省于都县", "某市和平区"): part of that name.
_NEXT_LEVEL = frozenset("县市区旗")


def _inside_place_name(text: str, i: int, limit: int) -> bool:
    if i > 0 and text[i - 1] in "省市州" and _NEXT_LEVEL.intersection(text[i + 1 : i + 4]):
        return True
    if text[i] not in _SOFT_STOP:
        return False
    if (
        text[i] in "前后"
        and i > limit
        and text[i - 1] in _LOCATIVE
        and text[i + 1 : i + 2] not in _NOT_PLACE_AFTER
    ):
        return True
    for j in range(i - 1, max(limit, i - 3) - 1, -1):
        ch = text[j]
        if ch in _ADMIN_END:
            return True  # "思明区莲前西路", "安亭镇向阳村"
        if ch in _ADDR_STOPSET or not ("\u4e00" <= ch <= "\u9fff"):
            return False
    return False


def _cued_addresses(text: str, found: list[tuple[int, int]]) -> None:
    # After a cue whose run holds no place ("送到送达地址：…"), search again from the next
    # character, so that the cue inside the run is not skipped.
    search = _ADDRESS_CUED.search
    m = search(text)
    while m is not None:
        body = _PLACE_END.match(m.group(1))
        place = body.group() if body is not None else ""
        flat = _FLAT.search(place)  # nothing of an address comes after its flat
        if flat is not None:
            place = place[: flat.end()]
        if (
            len(place) >= 3
            and not place[0].isdigit()  # "位于9号楼北侧": a building of a place not named
            and (_DIGIT.search(place) or len(_ADMIN.findall(place)) >= 2 or place[-1] in _RURAL_END)
        ):
            found.append((m.start(1), m.start(1) + len(place)))
            m = search(text, m.start(1) + len(place))
        else:
            m = search(text, m.start() + 1)


# A place on a highway by its kilometre ("G320国道1876公里处", "X036县道往东1.5公里",
# "S101线往西3公里").
_ROAD_KM = re.compile(
    r"(?:(?:[GSXYZ]\d{2,4})?(?:国道|省道|县道|乡道|高速公路|高速)|[GSXYZ]\d{2,4}线)"
    r"(?:\d+(?:\.\d+)?公里处?|往?[东西南北]\d+(?:\.\d+)?公里处?)"
)
# A crossing named by its roads ("富春路与钱江路路口的…", "娄山关路与仙霞路路口东北角的…"):
# part of the address that follows it.
_CROSSING = re.compile(
    rf"(?:路|街|道)与{_ADDR_CHAR}{{1,6}}?(?:路|街|道)(?:交叉口|交叉路口|路口|交界处|口)"
    r"(?:[东西南北]{1,2}(?:角|侧))?的?"
)
# A building, its entrance and a flat, whatever the estate is called ("翠湖天地二期12号楼
# 3单元801", "5栋2单元602室"): found from the building's word, its number read backwards
# (1-4 letters or digits), then the estate's name.
_UNIT_CHAIN = re.compile(r"(?:号楼|栋|幢|座)\s?(?:\d{1,2}单元\s?)?\d{3,4}室?(?!\d)")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _unit_chains(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _UNIT_CHAIN.finditer(text):
        start = m.start()
        while start > max(0, m.start() - 4) and text[start - 1] in _ALNUM:
            start -= 1
        if start < m.start() and (start == 0 or text[start - 1] not in _ALNUM):
            spans.append((start, m.end()))
    return spans


_RARE_SHAPES = (
    (_ROAD_KM, re.compile("国道|省道|县道|乡道|高速|线").search),
    (_CROSSING, re.compile("[路街道]与").search),
)


def _addresses(text: str, out: list[Candidate]) -> None:
    found: list[tuple[int, int]] = []
    _cued_addresses(text, found)
    # (start, end, whether a numbered highway) of each place read backwards from
    matches = [(m.start(), m.end(), False) for m in _ADDRESS_CORE.finditer(text)]
    matches.extend((m.start(), m.end(), False) for m in _VILLAGE.finditer(text))
    # the rarer shapes only where their words are (each search is a pass over the text)
    for pattern, trigger in _RARE_SHAPES:
        if trigger(text) is not None:
            matches.extend(
                (m.start(), m.end(), pattern is _ROAD_KM and text[m.start()].isascii())
                for m in pattern.finditer(text)
            )
    matches.extend((s, e, False) for s, e in _unit_chains(text))
    for first, last, highway in matches:
        start = first
        limit = max(0, start - _ADDR_BACK)
        while start > limit:
            ch = text[start - 1]
            if not ("\u4e00" <= ch <= "\u9fff"):
                break
            if ch in _ADDR_STOPSET and not _inside_place_name(text, start - 1, limit):
                break
            start -= 1
        # a bare "路12号" with no name before it is not an address, a numbered highway is
        if start < first or highway:
            found.append((start, last))
    # "真北路12号梅陇三村2号楼3室": a road's number and the estate after it, one address.
    found.sort()
    merged: list[list[int]] = []
    for start, end in found:
        # ("…S101线往西3公里的大坡村4组": the village measured from the road, one address)
        measured = text[start - 2 : start] in ("里的", "处的")
        if merged and (start <= merged[-1][1] or (measured and start == merged[-1][1] + 1)):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out.extend((start, end, "address") for start, end in merged)


# Addresses in English, smallest part first: a flat, a building, a numbered road, an
# estate or a district, then the city ("Room 1502, Building 3, No. 88 Xinhua Road,
# Chaoyang District, Beijing", "Apt 5B, 120 Huaihai Middle Road"). A chain of two or
# more such parts with a number in one, or a numbered road alone, is an address.
_EN_WORD = r"[A-Z][a-z]+(?:'[a-z]+)?"
_EN_ROAD = (
    r"(?:Road|Rd\.?|Street|St\.?|Avenue|Ave\.?|Lane|Ln\.?|Boulevard|Blvd\.?|Alley|Drive|Dr\.?"
    r"|Highway|Hwy\.?|Way|Hutong|Lu|Jie|Dajie)(?![A-Za-z])"
)
_EN_AREA = (
    r"(?:District|County|New Area|Township|Town|Village|Subdistrict|Community|Gardens?|Estate"
    r"|Residences?|Compound|Apartments|Mansion|Plaza|Villas?|Province|City)(?![A-Za-z])"
)
_EN_NUMBER = r"#?\d{1,5}[A-Za-z]?(?:-\d{1,5})?"
_EN_PART = (
    rf"(?P<unit>(?:Room|Rm\.?|Flat|Apt\.?|Apartment|Unit|Suite|Floor)\s?{_EN_NUMBER}(?![A-Za-z0-9])"
    rf"|(?:Building|Bldg\.?|Block|Blk\.?|Tower|Gate|Entrance)\s?(?:{_EN_NUMBER}|[A-Z])(?![A-Za-z0-9])"
    rf"|(?:No\.?\s?)?\d{{1,5}}[A-Za-z]?\s(?:Building|Bldg\.?|Block|Tower)(?![A-Za-z])"
    rf"|Lane\s\d{{1,5}}(?![A-Za-z0-9])"
    rf"|(?:No\.?\s?|#)?\d{{1,5}}[A-Za-z]?(?:-\d{{1,5}})?,?\s(?:{_EN_WORD}\s){{1,4}}{_EN_ROAD})"
    rf"|(?P<named>(?:{_EN_WORD}\s){{1,4}}(?:{_EN_ROAD}|{_EN_AREA})"
    rf"(?:\s(?:No\.?\s?)?\d{{1,5}}(?![A-Za-z0-9]))?)"
)
_EN_ANY_PART = _EN_PART.replace("(?P<unit>", "(?:").replace("(?P<named>", "(?:")
_EN_ADDRESS = re.compile(
    rf"(?:{_EN_ANY_PART})(?:,?\s(?:{_EN_ANY_PART}))*(?P<city>(?:,\s?{_EN_WORD}(?![A-Za-z0-9])){{0,2}})"
)
_EN_PARTS = re.compile(_EN_PART)


def _english_addresses(text: str, out: list[Candidate]) -> None:
    for lo, hi in latin_stretches(text):
        _english_addresses_in(text, lo, hi, out)


def _english_addresses_in(text: str, lo: int, hi: int, out: list[Candidate]) -> None:
    for m in _EN_ADDRESS.finditer(text, lo, hi):
        body = m.group()[: m.start("city") - m.start()]
        parts = list(_EN_PARTS.finditer(body))
        numbered = [p for p in parts if p.group("named") is None or _DIGIT.search(p.group())]
        if not numbered or (len(parts) < 2 and parts[0].group("unit") is not None):
            continue
        end = m.end() if any(p.group("named") for p in parts) else m.start("city")
        out.append((m.start(), end, "address"))


DETECTORS: tuple[DetectorEntry, ...] = (
    # (the trigger of the names in Latin letters: one search for both)
    ("plain", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "latin", _english_addresses),
    (
        "plain",
        "路街巷弄村同镇区园寓厦场心组城庭苑府湾邸居坊里住址籍于家自搬寄送户册点庄屯寨堡道楼栋幢座",
        "",
        _addresses,
    ),
)
