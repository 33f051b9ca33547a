"""A second held-out corpus of personal data in dispute text, written after an independent
review measured the scrubber on text of its own (identifiers 0.742, names 0.421 by the
rules, addresses 0.623, 9 false positives in 60 clean sentences).

Written apart from `privacy.testing` (the tuning generators) and from
`tests/corpus/heldout.py`: other phrasing, five genres (WeChat chats, formal 申请书,
institution case notes, phone-call transcripts, court-style texts), other value pools
(minority names with ·, compound and rare surnames, addresses with 村/组/弄/号/室) and
other written forms of the identifiers (em dashes and underscores between digit groups,
spoken digits in call transcripts, full-width dots in e-mails, spaces inside plates...).

It is split in two halves that share no template, no pool entry and no written form:
`corpus("tune")` is the half the rules were tuned on first (round 1), `corpus("report")`
the half measured then (held out in round 1; its misses were read in round 2). Parts
written by hand after each later round (`WRITTEN_AFTER`: after rounds 2 to 6) were
each measured before the next round read them; the last is the held-out part now.
`CLEAN[part]` and the parts' clean sentences carry no personal data: whatever the
scrubber replaces in them is a false positive.

Spans mark every value that must be scrubbed (kinds as in `privacy.pii.KINDS`); dates
and amounts are labelled too (the scrubber removes them), so precision is fair.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from privacy.pii import Span
from schemas import identity

PARTS = ("tune", "report")
_FW = str.maketrans("0123456789-.", "０１２３４５６７８９－．")
_SPOKEN = str.maketrans("0123456789", "零幺二三四五六七八九")
_SPOKEN_PLAIN = str.maketrans("0123456789", "〇一二三四五六七八九")


def _half(items: Sequence[str], part: str) -> list[str]:
    """Even entries for the tuning half, odd ones for the report half."""
    return list(items[PARTS.index(part) :: 2])


# ---------------------------------------------------------------------------------
# Value pools (each split between the halves by `_half`)
# ---------------------------------------------------------------------------------
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯董程曹袁邓许沈曾彭吕苏卢蒋蔡贾"
    "丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
)
_RARE_SURNAMES = "覃逯亢郇敖粘禚蒉靖笪甘阚隗冉仝缪羿揭晏牟芮漆邬暴练党宓尉骞邰"
_COMPOUND = (
    "钟离",
    "南宫",
    "西门",
    "百里",
    "呼延",
    "第五",
    "赫连",
    "濮阳",
    "淳于",
    "司徒",
    "夏侯",
    "宇文",
    "长孙",
    "独孤",
    "申屠",
    "万俟",
)
_GIVEN_ONE = "磊婷军娜勇静杰丽涛敏斌霞鑫倩浩颖凯璐琪晨悦航瑶鹏蕾宇欣超楠帆雯"
_GIVEN_TWO = (
    "建华",
    "秀英",
    "志强",
    "桂兰",
    "海燕",
    "文博",
    "子涵",
    "雨桐",
    "国庆",
    "春花",
    "德明",
    "丽华",
    "晓东",
    "美玲",
    "俊杰",
    "玉珍",
    "一鸣",
    "思远",
    "金凤",
    "永福",
    "梓萱",
    "浩然",
    "淑芬",
    "家豪",
)
_MINORITY = (
    "迪丽娜尔·阿不都拉",
    "阿卜杜热西提·买买提明",
    "尼玛·次仁",
    "巴特尔·额尔敦",
    "热合曼·艾山",
    "帕提古丽·吾斯曼",
    "达瓦·卓嘎",
    "吐尔洪·托乎提",
    "乌兰·其其格",
    "米热阿依·艾尔肯",
    "索朗·旺堆",
    "哈斯·巴根",
    "麦麦提·吐尔逊",
    "古再丽努尔·阿布力孜",
)
_DISTRICTS = (
    "浦东新区",
    "闵行区",
    "宝山区",
    "嘉定区",
    "金山区",
    "松江区",
    "青浦区",
    "奉贤区",
    "崇明区",
    "黄浦区",
    "徐汇区",
    "长宁区",
    "静安区",
    "普陀区",
    "虹口区",
    "杨浦区",
)
_TOWNS = (
    "枫泾镇",
    "罗店镇",
    "七宝镇",
    "朱家角镇",
    "南桥镇",
    "堡镇",
    "惠南镇",
    "马陆镇",
    "金泽镇",
    "亭林镇",
    "庙行镇",
    "泖港镇",
    "新浜镇",
    "陈家镇",
)
_VILLAGES = (
    "新义村",
    "天平村",
    "农南村",
    "张马村",
    "杨王村",
    "海滨村",
    "桃园村",
    "合庆村",
    "星火村",
    "蔡家村",
    "东风村",
    "腰泾村",
    "五四村",
    "红星村",
)
_ROADS = (
    "控江路",
    "凯旋路",
    "昌里路",
    "曲阳路",
    "宜山路",
    "沪闵路",
    "共和新路",
    "真北路",
    "莘松路",
    "场中路",
    "杨高南路",
    "漕宝路",
    "中山北路",
    "浦东大道",
)
_ESTATES = (
    "阳光花园",
    "锦绣华庭",
    "春申小区",
    "梅陇三村",
    "长白新村",
    "金桥新城",
    "古美西路小区",
    "馨佳园",
    "明园小区",
    "康城",
)
_COMPANIES = (
    "上海瑞丰家政服务有限公司",
    "上海顺捷搬家有限公司",
    "上海美途旅行社有限公司",
    "上海鼎盛物业管理有限公司",
    "上海新锐教育培训有限公司",
    "上海好邻居超市有限公司",
)


def _name(rng: random.Random, part: str) -> str:
    form = rng.random()
    if form < 0.18:
        return rng.choice(_half(_MINORITY, part))
    if form < 0.33:
        surname = rng.choice(_half(_COMPOUND, part))
    elif form < 0.55:
        surname = rng.choice(_half(_RARE_SURNAMES, part))
    else:
        surname = rng.choice(_half(_SURNAMES, part))
    if rng.random() < 0.35:
        return surname + rng.choice(_half(_GIVEN_ONE, part))
    return surname + rng.choice(_half(_GIVEN_TWO, part))


def _num(rng: random.Random, low: int, high: int) -> int:
    return rng.randrange(low, high)


def _address(rng: random.Random, part: str) -> str:
    district = rng.choice(_half(_DISTRICTS, part))
    town = rng.choice(_half(_TOWNS, part))
    village = rng.choice(_half(_VILLAGES, part))
    road = rng.choice(_half(_ROADS, part))
    estate = rng.choice(_half(_ESTATES, part))
    forms: list[Callable[[], str]] = [
        lambda: f"{district}{town}{village}{_num(rng, 1, 16)}组{_num(rng, 1, 400)}号",
        lambda: (
            f"{district}{road}{_num(rng, 1, 3000)}弄{_num(rng, 1, 120)}号{_num(rng, 101, 2402)}室"
        ),
        lambda: f"{town}{village}{'一二三四五六七八九十'[_num(rng, 0, 10)]}组",
        lambda: (
            f"{road}{_num(rng, 1, 2000)}号{estate}{_num(rng, 1, 40)}号楼{_num(rng, 101, 1802)}室"
        ),
        lambda: f"{estate}{_num(rng, 1, 90)}号{_num(rng, 101, 702)}室",
        lambda: (
            f"上海市{district}{road}{_num(rng, 1, 999)}弄{_num(rng, 1, 30)}支弄{_num(rng, 1, 60)}号"
        ),
        lambda: f"{district}{town}{village}村委会旁{_num(rng, 1, 300)}号",
        lambda: f"{village}{_num(rng, 1, 12)}组{_num(rng, 1, 99)}号",
    ]
    return _pick(rng, forms, part)()


def _pick(rng: random.Random, forms: Sequence[Callable[[], str]], part: str) -> Callable[[], str]:
    """One of the written forms of this half (forms split like the pools)."""
    return rng.choice(list(forms[PARTS.index(part) :: 2]))


# ---------------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------------
#: GB 11643 check character: the project's one identity module (schemas.identity).
_id_check = identity.resident_id_check_character


def _resident_id(rng: random.Random, part: str) -> str:
    area = rng.choice(["310104", "310110", "320582", "330203", "420102", "610113", "450103"])
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
    body = f"{area}{born:%Y%m%d}{rng.randrange(1000):03d}"
    i = body + _id_check(body)
    forms: list[Callable[[], str]] = [
        lambda: f"{i[:6]} {i[6:10]} {i[10:14]} {i[14:]}",
        lambda: f"{i[:6]}.{i[6:14]}.{i[14:]}",
        lambda: f"{i[:6]}—{i[6:14]}—{i[14:]}",
        lambda: " ".join(i[k : k + 3] for k in range(0, 18, 3)),
        lambda: f"{i[:6]} {i[6:14]} {i[14:]}".translate(_FW),
        lambda: i.translate(_SPOKEN_PLAIN),
        lambda: i[:17] + i[17].lower(),
        lambda: f"{i[:6]}_{i[6:14]}_{i[14:]}",
    ]
    return _pick(rng, forms, part)()


def _mobile(rng: random.Random, part: str) -> str:
    m = rng.choice(["138", "135", "187", "152", "173", "191", "147", "180"]) + "".join(
        rng.choice(string.digits) for _ in range(8)
    )
    forms: list[Callable[[], str]] = [
        lambda: f"{m[:3]}—{m[3:7]}—{m[7:]}",
        lambda: f"{m[:3]}_{m[3:7]}_{m[7:]}",
        lambda: m.translate(_SPOKEN),
        lambda: f"(86){m}",
        lambda: f"+86 {m[:3]}-{m[3:7]}-{m[7:]}",
        lambda: f"{m[:3]} {m[3:7]} {m[7:]}".translate(_FW),
        lambda: f"{m[:3]}~{m[3:7]}~{m[7:]}",
        lambda: f"86 {m}",
        lambda: m.translate(_SPOKEN_PLAIN),
        lambda: f"{m[:3]}  {m[3:7]}  {m[7:]}",
    ]
    return _pick(rng, forms, part)()


def _landline(rng: random.Random, part: str) -> str:
    area = rng.choice(["021", "0512", "0571", "025", "0574", "010"])
    n = f"{rng.randrange(2, 10)}{rng.randrange(10**6, 10**7)}"
    forms: list[Callable[[], str]] = [
        lambda: f"{area}—{n}",
        lambda: f"{area} {n[:4]} {n[4:]}",
        lambda: f"（{area}）{n[:4]}-{n[4:]}",
        lambda: f"{area}-{n} 分机{rng.randrange(10, 9999)}",
        lambda: f"{area}_{n}",
        lambda: f"{area}{n}",
        lambda: f"{area}-{n[:4]}-{n[4:]}",
        lambda: f"{area}.{n}",
    ]
    return _pick(rng, forms, part)()


def _email(rng: random.Random, part: str) -> str:
    user = rng.choice(["liuxm", "Tina.Wu", "bao_er", "k.zhou1988", "sunny-lee", "ZhangJY"])
    user += str(rng.randrange(10, 999))
    domain = rng.choice(["163.com", "qq.com", "sina.cn", "139.com", "foxmail.com", "sohu.com"])
    forms: list[Callable[[], str]] = [
        lambda: f"{user}@{domain}",
        lambda: f"{user}＠{domain.replace('.', '．')}",
        lambda: f"{user.upper()}@{domain.upper()}",
        lambda: f"{user} @ {domain}",
    ]
    return _pick(rng, forms, part)()


def _luhn(body: str) -> str:
    return body + identity.luhn_check_digit(body)


def _card(rng: random.Random, part: str) -> str:
    length = rng.choice([16, 19])
    prefix = rng.choice(["6222", "6228", "6212", "6225", "6230", "6214"])
    c = _luhn(prefix + "".join(rng.choice(string.digits) for _ in range(length - 5)))
    forms: list[Callable[[], str]] = [
        lambda: "—".join(c[k : k + 4] for k in range(0, length, 4)),
        lambda: "  ".join(c[k : k + 4] for k in range(0, length, 4)),
        lambda: " ".join(c[k : k + 4] for k in range(0, length, 4)).translate(_FW),
        lambda: f"{c[:4]} {c[4:8]} {c[8:]}",
        lambda: "_".join(c[k : k + 4] for k in range(0, length, 4)),
        lambda: c,
    ]
    return _pick(rng, forms, part)()


def _plate(rng: random.Random, part: str) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    p = rng.choice("沪苏浙皖鲁豫")
    body = "".join(rng.choice(string.digits + "ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5))
    forms: list[Callable[[], str]] = [
        lambda: f"{p} {rng.choice(letters)} {body}",
        lambda: f"{p}{rng.choice(letters)}·{rng.choice('DF')}{body[:4]}{rng.choice(string.digits)}",
        lambda: f"{p}{rng.choice(letters.lower())}{body.lower()}",
        lambda: f"{p}{rng.choice(letters)}•{body}",
        lambda: f"{p}{rng.choice(letters)} {body}",
        lambda: f"{p}{rng.choice(letters)}{body}",
    ]
    return _pick(rng, forms, part)()


def _passport(rng: random.Random, part: str) -> str:
    digits = "".join(rng.choice(string.digits) for _ in range(8))
    forms: list[Callable[[], str]] = [
        lambda: f"E{digits}",
        lambda: f"E{digits[:4]} {digits[4:]}",
        lambda: f"EH{digits[:7]}",
        lambda: f"e{digits}",
    ]
    return _pick(rng, forms, part)()


def _permit(rng: random.Random, part: str) -> str:
    d = "".join(rng.choice(string.digits) for _ in range(10))
    forms: list[Callable[[], str]] = [
        lambda: f"H{d[:8]}",
        lambda: f"M{d[:8]}0{d[8]}",
        lambda: f"CD{d[:7]}",
        lambda: d[:8],
        lambda: f"L{d[:8]}",
        lambda: f"C{d[:8]}",
    ]
    return _pick(rng, forms, part)()


def _wechat(rng: random.Random, part: str) -> str:
    stem = rng.choice(["ahong", "Xiaoyu", "dabao", "tianxin", "momo", "Leo"])
    forms: list[Callable[[], str]] = [
        lambda: f"{stem}_{rng.randrange(1960, 2005)}",
        lambda: f"{stem}{rng.randrange(100, 99999)}",
        lambda: (
            f"wxid_{''.join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(14))}"
        ),
        lambda: f"{stem}-{rng.choice(['sh', 'home', 'mm'])}{rng.randrange(10, 99)}",
    ]
    return _pick(rng, forms, part)()


def _qq(rng: random.Random, part: str) -> str:
    return str(rng.randrange(10**5, 10**10))


def _case_no(rng: random.Random, part: str) -> str:
    y = rng.choice([2023, 2024, 2025, 2026])
    court = rng.choice(["0115", "0104", "0110", "0112", "01", "02", "0113"])
    forms: list[Callable[[], str]] = [
        lambda: f"（{y}）沪{court}民初{rng.randrange(1, 99999)}号",
        lambda: f"({y})沪{court}执保{rng.randrange(1, 999)}号",
        lambda: f"沪浦劳人仲({y})字第{rng.randrange(1, 9999)}号",
        lambda: f"（{y}）沪{court}民特{rng.randrange(1, 9999)}号",
        lambda: f"沪长劳人仲（{y}）办字第{rng.randrange(1, 9999):04d}号",
        lambda: f"〔{y}〕沪{court}民终{rng.randrange(1, 9999)}号",
        lambda: f"（{y}）沪仲裁字第{rng.randrange(1, 9999)}号",
        lambda: f"[{y}]沪{court}民初{rng.randrange(1, 99999)}号",
    ]
    return _pick(rng, forms, part)()


def _vin(rng: random.Random, part: str) -> str:
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    v = list(
        rng.choice(["LSG", "LBV", "LFM", "LZW", "LDC"])
        + "".join(rng.choice(chars) for _ in range(14))
    )
    v[8] = identity.vin_check_character("".join(v))
    vin = "".join(v)
    forms: list[Callable[[], str]] = [
        lambda: vin,
        lambda: f"{vin[:8]} {vin[8:]}",
        lambda: vin.lower(),
        lambda: f"{vin[:3]}-{vin[3:9]}-{vin[9:]}",
    ]
    return _pick(rng, forms, part)()


def _hospital_no(rng: random.Random, part: str) -> str:
    forms: list[Callable[[], str]] = [
        lambda: f"{rng.randrange(2023, 2027)}{rng.randrange(10**5, 10**6)}",
        lambda: f"A{rng.randrange(10**6, 10**7)}",
        lambda: f"ZY-{rng.randrange(10**5, 10**7)}",
        lambda: f"{rng.randrange(10**7, 10**8)}",
    ]
    return _pick(rng, forms, part)()


def _uscc(rng: random.Random, part: str) -> str:
    alphabet = identity.USCC_ALPHABET
    body = (
        rng.choice(["91", "92", "52"])
        + rng.choice(["310115", "310104", "310110", "310230"])
        + "".join(rng.choice(alphabet) for _ in range(9))
    )
    code = body + identity.uscc_check_character(body)
    forms: list[Callable[[], str]] = [
        lambda: code,
        lambda: f"{code[:6]} {code[6:12]} {code[12:]}",
        lambda: code.lower(),
        lambda: code.translate(_FW),
    ]
    return _pick(rng, forms, part)()


def _date(rng: random.Random, part: str) -> str:
    d = date(2023, 6, 1) + timedelta(days=rng.randrange(0, 1000))
    forms: list[Callable[[], str]] = [
        lambda: f"{d.year}年{d.month}月{d.day}日",
        lambda: f"{d:%Y-%m-%d}",
        lambda: f"{d.month}月{d.day}日",
        lambda: f"{d:%Y/%m/%d}",
    ]
    return _pick(rng, forms, part)()


def _amount(rng: random.Random, part: str) -> str:
    forms: list[Callable[[], str]] = [
        lambda: f"{rng.randrange(200, 99999)}元",
        lambda: f"￥{rng.randrange(100, 50000)}",
        lambda: f"{rng.randrange(1, 50)}万元",
        lambda: f"人民币{rng.randrange(1000, 90000)}元整",
    ]
    return _pick(rng, forms, part)()


_VALUES: dict[str, Callable[[random.Random, str], str]] = {
    "resident_id": _resident_id,
    "uscc": _uscc,
    "mobile": _mobile,
    "landline": _landline,
    "email": _email,
    "bank_card": _card,
    "plate": _plate,
    "passport": _passport,
    "permit": _permit,
    "wechat": _wechat,
    "qq": _qq,
    "case_no": _case_no,
    "vin": _vin,
    "hospital_no": _hospital_no,
    "name": _name,
    "address": _address,
    "date": _date,
    "amount": _amount,
}

# ---------------------------------------------------------------------------------
# Templates by genre ({kind} slots; {company} is filler, not labelled). Even templates of
# each genre are the tuning half's, odd ones the report half's.
# ---------------------------------------------------------------------------------
TEMPLATES: dict[str, tuple[str, ...]] = {
    "wechat": (
        "[语音转文字] 喂我是{name}啊，我手机号{mobile}，你们那个调解什么时候",
        "好的好的，我把身份证号发你 {resident_id} 你核对下",
        "亲 那个押金退到这张卡 {bank_card} 户名{name}",
        "我家在{address}，平时下午都在家",
        "他开的车牌是{plate}，监控里拍得很清楚",
        "加我薇信吧 {wechat}，电话不方便接",
        "我扣扣{qq}，文件传不上来可以发这里",
        "邮箱：{email}，麻烦把调解书发一份给我🙏",
        "楼上{name}家又漏水了，物业电话{landline}一直没人接",
        "我老婆{name}的号码是{mobile}，找不到我就打她",
        "对方的护照号{passport}，是外籍员工",
        "我是{name}，{date}那天在店里买的，花了{amount}",
        "材料你发我邮箱就行：{email}",
        "车架号我拍给你了 {vin}，保险单上也有",
    ),
    "petition": (
        "申请人：{name}，男，{date}生，身份证号码：{resident_id}，户籍地{address}，手机{mobile}。",
        "被申请人：{company}，统一社会信用代码{uscc}，地址{address}，负责人{name}，电话{landline}。",
        "申请人{name}与被申请人{name}系邻里关系，双方因漏水问题发生纠纷。",
        "请求事项：一、判令被申请人支付拖欠工资{amount}；二、支付经济补偿金。",
        "申请人持港澳居民来往内地通行证（号码{permit}），现住{address}。",
        "被申请人{name}，身份证{resident_id}，驾驶{plate}号车辆将申请人撞伤。",
        "申请人的工资卡号为{bank_card}，开户人{name}。",
        "申请人于{date}入职，在{company}从事保洁工作，月薪{amount}。",
        "该车辆识别代号为{vin}，登记在被申请人{name}名下。",
        "申请人在市一医院住院治疗，住院号{hospital_no}，共花费{amount}。",
        "此前申请人曾向法院起诉，案号为{case_no}，后撤诉。",
        "委托代理人：{name}，电话{mobile}，电子邮箱{email}。",
    ),
    "note": (
        "{date}，调解员与当事人{name}电话沟通（{mobile}），其同意调解。",
        "经查，被申请人{name}实际居住于{address}，已上门送达。",
        "当事人{name}提交了微信聊天记录，对方微信号为{wechat}。",
        "申请人{name}情绪激动，称{name}欠款不还已有两年。",
        "核实身份：{name}，证件号{resident_id}，与申请材料一致。",
        "被申请人称已通过尾号账户{bank_card}转账{amount}，申请人否认收到。",
        "案外人{name}（{address}）愿意作证。",
        "联系{company}人事{name}，座机{landline}，答复下周回复。",
        "申请人提供的病案号{hospital_no}与医院记录相符。",
        "该纠纷另有劳动仲裁案件{case_no}在审。",
        "当事人为台湾居民，台胞证号码{permit}，已核验。",
        "{name}与{name}于{date}在{address}达成和解。",
        "受理通知书已发送至申请人邮箱{email}。",
        "当事人出示往来港澳通行证，号码{permit}，复印件附卷。",
    ),
    "call": (
        "来电人：{name}，来电号码{mobile}，反映邻居噪音扰民。",
        "客服：请问您贵姓？来电人：我姓{surname}，叫{name}，电话是{mobile}。",
        "来电人称其住在{address}，楼下饭店油烟很大。",
        "来电人报身份证号{resident_id}，要求查询办件进度。",
        "回拨{landline}，接电话的是{name}的家属。",
        "来电人{name}说对方车牌{plate}，车停在消防通道。",
        "来电人表示可以加微信{wechat}发照片。",
        "来电人{name}的QQ是{qq}，邮箱{email}。",
        "来电人：我叫{name}，{date}在{address}摔伤了。",
        "记录：来电人{name}，联系电话{mobile}，诉求退款{amount}。",
        "坐席转接{name}律师，律师电话{landline}。",
        "来电人提供护照号码{passport}，为外籍人士。",
    ),
    "court": (
        "原告：{name}，女，{date}出生，汉族，住{address}，公民身份号码{resident_id}。",
        "被告：{name}，男，住{address}，联系电话{mobile}。",
        "委托诉讼代理人：{name}，上海某律师事务所律师。",
        "原告{name}诉被告{name}民间借贷纠纷一案，本院于{date}立案后，依法适用简易程序。",
        "被告{company}，住所地{address}，统一社会信用代码{uscc}，法定代表人{name}。",
        "本案案号{case_no}，原告{name}向本院申请财产保全。",
        "经审理查明，被告{name}于{date}向原告借款{amount}，约定月底归还。",
        "原告向被告账户{bank_card}转账，被告确认收到。",
        "被告驾驶的{plate}号小型轿车（车架号{vin}）与原告车辆相撞。",
        "第三人{name}，住{address}，经传票传唤未到庭。",
        "原告{name}的诊疗记录（门诊号{hospital_no}）载明其受伤情况。",
        "上诉人{name}不服{case_no}民事判决，向本院提起上诉。",
    ),
}
_SLOT = re.compile(r"\{(\w+)\}")


def _document(template: str, rng: random.Random, part: str) -> tuple[str, list[Span]]:
    parts: list[str] = []
    gold: list[Span] = []
    length = pos = 0
    named: str | None = None
    for m in _SLOT.finditer(template):
        literal = template[pos : m.start()]
        parts.append(literal)
        length += len(literal)
        slot = m.group(1)
        kind: str | None = slot
        if slot == "company":
            value, kind = rng.choice(_COMPANIES), None
        elif slot == "surname":
            # "我姓X，叫XYZ": the surname alone is not labelled, the name after it is
            named = _name(rng, part)
            value, kind = named[:2] if named[:2] in _COMPOUND else named[0], None
        elif slot == "name" and named is not None:
            value, named = named, None
        else:
            value = _VALUES[slot](rng, part)
        if kind:
            gold.append(Span(length, length + len(value), kind, value))
        parts.append(value)
        length += len(value)
        pos = m.end()
    parts.append(template[pos:])
    return "".join(parts), gold


def corpus(part: str, n: int = 600, seed: int = 20261202) -> list[tuple[str, list[Span]]]:
    """`n` documents of the half `part` ("tune" or "report") with their gold spans."""
    if part not in PARTS:
        raise ValueError(part)
    rng = random.Random(f"{seed}-{part}")
    templates = [t for group in TEMPLATES.values() for t in _half(group, part)]
    return [_document(templates[i % len(templates)], rng, part) for i in range(n)]


@dataclass(frozen=True)
class Written:
    genre: str
    text: str
    values: tuple[tuple[str, str], ...]  # (kind, value) that must not survive scrubbing

    def spans(self) -> list[Span]:
        """Every occurrence of every value (a name written twice is two spans)."""
        out: list[Span] = []
        for kind, value in dict.fromkeys(self.values):
            start = self.text.find(value)
            while start >= 0:
                out.append(Span(start, start + len(value), kind, value))
                start = self.text.find(value, start + len(value))
        return sorted(out)


def _w(genre: str, text: str, *values: tuple[str, str]) -> Written:
    for _, v in values:
        assert v in text, v
    return Written(genre, text, values)


#: Written by hand AFTER the rules were tuned (on the tuning half, then on the report
#: half's misses): the one part of this corpus no rule has seen; only measured.
AFTER_TUNING: tuple[Written, ...] = (
    _w(
        "wechat",
        "滕子昂：姐我把房东的信息发你，他叫蔺晓光，手机139 0213 7788（同微信），住宝山区月浦镇月狮村六组28号",
        ("name", "滕子昂"),
        ("name", "蔺晓光"),
        ("mobile", "139 0213 7788"),
        ("address", "宝山区月浦镇月狮村六组28号"),
    ),
    _w(
        "wechat",
        "vx：Kiki_love_1999 或者 Q Q：88886666，我晚上才有空回",
        ("wechat", "Kiki_love_1999"),
        ("qq", "88886666"),
    ),
    _w(
        "wechat",
        "退款请打到建行 6217 0012 3456 7890 122，收款人檀雅琴，谢谢🙏",
        ("bank_card", "6217 0012 3456 7890 122"),
        ("name", "檀雅琴"),
    ),
    _w(
        "wechat",
        "你把调解协议扫描一下发 li.na_88@126.com 吧，或者发我老公邮箱 wang-fei＠yahoo.com.cn",
        ("email", "li.na_88@126.com"),
        ("email", "wang-fei＠yahoo.com.cn"),
    ),
    _w(
        "wechat",
        "我们小区是徐汇区田林十二村36号502室，门口那个面馆老板姓郜，叫郜长青",
        ("address", "徐汇区田林十二村36号502室"),
        ("name", "郜长青"),
    ),
    _w(
        "wechat",
        "撞我的是辆白色的皖K·D8866F，司机说他叫扈海波，电话一五八 二一零九 三三七六",
        ("plate", "皖K·D8866F"),
        ("name", "扈海波"),
        ("mobile", "一五八 二一零九 三三七六"),
    ),
    _w(
        "petition",
        "申请人：闻人语嫣，女，1990年1月1日出生，公民身份号码342622 19900101 7720，"
        "住所浦东新区川沙新镇城南路168弄5号1202室。",
        ("name", "闻人语嫣"),
        ("date", "1990年1月1日"),
        ("resident_id", "342622 19900101 7720"),
        ("address", "浦东新区川沙新镇城南路168弄5号1202室"),
    ),
    _w(
        "petition",
        "被申请人：上海汇川餐饮管理有限公司，统一社会信用代码：91310106MA1FL8XQ1W，"
        "经营场所静安区彭浦新村街道临汾路375弄18号，法定代表人公西华，座机（021）5632-1098。",
        ("uscc", "91310106MA1FL8XQ1W"),
        ("address", "静安区彭浦新村街道临汾路375弄18号"),
        ("name", "公西华"),
        ("landline", "（021）5632-1098"),
    ),
    _w(
        "petition",
        "申请人阿迪力·吾守尔系新疆来沪务工人员，身份证号６５０１０２１９７２１１３０４０１４，"
        "工资由被申请人通过尾号5673的银行卡6214 8312 3400 5673发放。",
        ("name", "阿迪力·吾守尔"),
        ("resident_id", "６５０１０２１９７２１１３０４０１４"),
        ("bank_card", "6214 8312 3400 5673"),
    ),
    _w(
        "petition",
        "申请人系香港居民，持回乡证H60123456，委托代理人拓跋宏律师代为申请，联系电话+852 9123 4567。",
        ("permit", "H60123456"),
        ("name", "拓跋宏"),
        ("mobile", "+852 9123 4567"),
    ),
    _w(
        "petition",
        "被申请人卓玛·次仁驾驶车牌号为沪A 9B7C6的轿车（车架号LVSHFFAL4JE412345）倒车时撞坏申请人的电动车。",
        ("name", "卓玛·次仁"),
        ("plate", "沪A 9B7C6"),
        ("vin", "LVSHFFAL4JE412345"),
    ),
    _w(
        "petition",
        "申请人曾于2025年5月在市六院骨科住院治疗（住院号：0012345678），后转至康复医院。",
        ("date", "2025年5月"),
        ("hospital_no", "0012345678"),
    ),
    _w(
        "note",
        "回访记录：已致电巫马思齐（手机号：１８６-２１０９-４４５５），其称对方至今未履行。",
        ("name", "巫马思齐"),
        ("mobile", "１８６-２１０９-４４５５"),
    ),
    _w(
        "note",
        "当事人乜秀兰称其丈夫郄建军已搬离奉贤区金汇镇资福村2组，现下落不明。",
        ("name", "乜秀兰"),
        ("name", "郄建军"),
        ("address", "奉贤区金汇镇资福村2组"),
    ),
    _w(
        "note",
        "经核对，被申请人提供的护照号码为EC1234567，与合同所载一致。",
        ("passport", "EC1234567"),
    ),
    _w(
        "note",
        "该案此前经徐汇区劳动人事争议仲裁委员会处理，仲裁案号沪徐劳人仲（2025）办字第0981号。",
        ("case_no", "沪徐劳人仲（2025）办字第0981号"),
    ),
    _w(
        "note",
        "申请人其木格·巴雅尔要求通过邮件联系：qimuge.bayaer@outlook.com，不接陌生电话。",
        ("name", "其木格·巴雅尔"),
        ("email", "qimuge.bayaer@outlook.com"),
    ),
    _w(
        "note",
        "调解员逄立新与双方约定下周三在松江区叶榭镇井凌桥村村委会会议室面谈。",
        ("name", "逄立新"),
        ("address", "松江区叶榭镇井凌桥村"),
    ),
    _w(
        "call",
        "坐席：您好，请问怎么称呼？来电人：我姓阙，阙文涛，我的身份证是三一零二三零一九八五零九二三一五二一。",
        ("name", "阙文涛"),
        ("resident_id", "三一零二三零一九八五零九二三一五二一"),
    ),
    _w(
        "call",
        "来电人左丘明远反映，楼上邻居在虹口区四川北路1885弄12号201室开棋牌室，每晚吵到凌晨。",
        ("name", "左丘明远"),
        ("address", "虹口区四川北路1885弄12号201室"),
    ),
    _w(
        "call",
        "来电人要求回电至021－５４３２１０９８或者手机152-0098-7766，白天都可以。",
        ("landline", "021－５４３２１０９８"),
        ("mobile", "152-0098-7766"),
    ),
    _w(
        "call",
        "来电人称其车辆（苏E·F12345）停在小区内被划，物业经理禤志坚拒绝调取监控。",
        ("plate", "苏E·F12345"),
        ("name", "禤志坚"),
    ),
    _w(
        "call",
        "来电人艾尼瓦尔·买合木提说老板拖欠他三个月工资，老板的电话是0512 6523 8899。",
        ("name", "艾尼瓦尔·买合木提"),
        ("landline", "0512 6523 8899"),
    ),
    _w(
        "call",
        "来电人提供台湾居民来往大陆通行证号码01234567，要求查询其父亲隋广德的调解进度。",
        ("permit", "01234567"),
        ("name", "隋广德"),
    ),
    _w(
        "court",
        "原告：欧阳春燕，女，1985年9月23日出生，汉族，住江苏省南通市海门区三厂街道大洪村十五组，"
        "公民身份号码310230198509231521。",
        ("name", "欧阳春燕"),
        ("date", "1985年9月23日"),
        ("address", "江苏省南通市海门区三厂街道大洪村十五组"),
        ("resident_id", "310230198509231521"),
    ),
    _w(
        "court",
        "被告：郇卫东，男，1976年4月12日出生，住嘉定区安亭镇墨玉南路888号3幢1106室，"
        "身份证号310115-19760412-0834。",
        ("name", "郇卫东"),
        ("date", "1976年4月12日"),
        ("address", "嘉定区安亭镇墨玉南路888号3幢1106室"),
        ("resident_id", "310115-19760412-0834"),
    ),
    _w(
        "court",
        "原告毕晓红与被告荆国栋房屋租赁合同纠纷一案，本院于2026年3月2日立案，案号（2026）沪0151民初3321号。",
        ("name", "毕晓红"),
        ("name", "荆国栋"),
        ("date", "2026年3月2日"),
        ("case_no", "（2026）沪0151民初3321号"),
    ),
    _w(
        "court",
        "上诉人钟离子墨因与被上诉人上海某物业公司物业服务合同纠纷一案，不服（2025）沪0112民初7788号民事判决。",
        ("name", "钟离子墨"),
        ("case_no", "（2025）沪0112民初7788号"),
    ),
    _w(
        "court",
        "被告辩称，其已于2025年12月1日向原告尾号2337的账户6222 0210 0112 2337转账人民币8000元。",
        ("date", "2025年12月1日"),
        ("bank_card", "6222 0210 0112 2337"),
        ("amount", "人民币8000元"),
    ),
    _w(
        "court",
        "第三人蹇美凤，女，住闵行区莘庄镇莘松五村116号401室，经本院合法传唤未到庭。",
        ("name", "蹇美凤"),
        ("address", "闵行区莘庄镇莘松五村116号401室"),
    ),
)

#: Written by hand after a third round of tuning (which read `AFTER_TUNING`'s misses, so
#: that part is no longer held out): the held-out part now; only measured.
AFTER_ROUND_3: tuple[Written, ...] = (
    _w(
        "wechat",
        "你微信搜 xiaoliu_1988 就能加到我，头像是一只猫，我叫郏婉清",
        ("wechat", "xiaoliu_1988"),
        ("name", "郏婉清"),
    ),
    _w(
        "wechat",
        "邮箱是 zhang.san (at) 163.com，怕被垃圾邮件刷屏才这么写的",
        ("email", "zhang.san (at) 163.com"),
    ),
    _w(
        "wechat",
        "对方的车是沪AF12345，新能源的，车主叫厍光明",
        ("plate", "沪AF12345"),
        ("name", "厍光明"),
    ),
    _w(
        "wechat",
        "q：20881234，实在不行你打我办公室电话021-62345678-8001",
        ("qq", "20881234"),
        ("landline", "021-62345678-8001"),
    ),
    _w(
        "wechat",
        "我住青浦区赵巷镇中步村陆家宅18号，离镇上有点远",
        ("address", "青浦区赵巷镇中步村陆家宅18号"),
    ),
    _w(
        "petition",
        "申请人：阿依努尔·买买提，女，维吾尔族，身份证号码310105198307024565，"
        "住长宁区天山路街道仙霞路99弄3号2楼。",
        ("name", "阿依努尔·买买提"),
        ("resident_id", "310105198307024565"),
        ("address", "长宁区天山路街道仙霞路99弄3号2楼"),
    ),
    _w(
        "petition",
        "申请人系澳门居民，持港澳台居民居住证（证号810000199001011230），委托代理人竺文涛。",
        ("resident_id", "810000199001011230"),
        ("name", "竺文涛"),
    ),
    _w(
        "petition",
        "被申请人司马德兴收到租金后未开具收据，租金转入其农行卡号：6228 4800 1234 5678 911。",
        ("name", "司马德兴"),
        ("bank_card", "6228 4800 1234 5678 911"),
    ),
    _w(
        "petition",
        "涉案车辆VIN码：LSVNV2182N2074567，行驶证登记所有人为印雪梅。",
        ("vin", "LSVNV2182N2074567"),
        ("name", "印雪梅"),
    ),
    _w(
        "note",
        "申请人出示护照 G12345678 及入境记录，其配偶殳志刚电话13601234567。",
        ("passport", "G12345678"),
        ("name", "殳志刚"),
        ("mobile", "13601234567"),
    ),
    _w(
        "note",
        "申请人在区中心医院就诊（就诊卡号 8800123456），医药费单据已复印。",
        ("hospital_no", "8800123456"),
    ),
    _w(
        "note",
        "约谈被申请人次旦·多吉，其表示愿意在浦东新区高桥镇凌桥村北弄12号的家中接受调解。",
        ("name", "次旦·多吉"),
        ("address", "浦东新区高桥镇凌桥村北弄12号"),
    ),
    _w(
        "call",
        "来电人自称上官明月，报手机号：幺八六、零二幺三、四五六七，反映邻居装修噪音。",
        ("name", "上官明月"),
        ("mobile", "幺八六、零二幺三、四五六七"),
    ),
    _w(
        "call",
        "来电人称其母亲冮秀梅住在嘉定区马陆镇大裕村沈家宅，已走失两天。",
        ("name", "冮秀梅"),
        ("address", "嘉定区马陆镇大裕村沈家宅"),
    ),
    _w(
        "call",
        "来电人报身份证310112196612250037，身份核验通过，姓名诸葛亮平。",
        ("resident_id", "310112196612250037"),
        ("name", "诸葛亮平"),
    ),
    _w(
        "court",
        "本院受理原告薄一凡诉被告苍云飞合同纠纷一案，案号（2025）沪0115民初字第12345号。",
        ("name", "薄一凡"),
        ("name", "苍云飞"),
        ("case_no", "（2025）沪0115民初字第12345号"),
    ),
    _w(
        "court",
        "被告：上海某健身服务有限公司，住所地闵行区华漕镇许浦村21组32号（后门），"
        "法定代表人：蓟东升，联系电话：(021)6240-1188。",
        ("address", "闵行区华漕镇许浦村21组32号"),
        ("name", "蓟东升"),
        ("landline", "(021)6240-1188"),
    ),
    _w(
        "court",
        "原告向被告工商银行账户6225880123456783支付定金人民币五千元整。",
        ("bank_card", "6225880123456783"),
        ("amount", "人民币五千元整"),
    ),
)

#: Written by hand after a fourth round of tuning (which read `AFTER_ROUND_3`'s misses):
#: the held-out part now; only measured.
AFTER_ROUND_4: tuple[Written, ...] = (
    _w(
        "wechat",
        "手机：139 1234 5678 / 136-0000-1111 都行，家里座机 5432 1098 一般没人",
        ("mobile", "139 1234 5678"),
        ("mobile", "136-0000-1111"),
        ("landline", "5432 1098"),
    ),
    _w(
        "wechat",
        "合同扫描件发 Li-Ming@Work-Mail.cn，抄送给东郭嘉怡",
        ("email", "Li-Ming@Work-Mail.cn"),
        ("name", "东郭嘉怡"),
    ),
    _w(
        "wechat",
        "他车牌沪 AD 12345，我拍到了，人跑了，听说叫缑天宇",
        ("plate", "沪 AD 12345"),
        ("name", "缑天宇"),
    ),
    _w(
        "wechat",
        "QQ号码为：1234567890，微信号：wxid_abc123def456",
        ("qq", "1234567890"),
        ("wechat", "wxid_abc123def456"),
    ),
    _w(
        "petition",
        "申请人：尕藏·才让，男，藏族，身份证号3101 0619 9205 1712 31，"
        "现住普陀区长风新村街道金沙江路1518弄2号楼702室。",
        ("name", "尕藏·才让"),
        ("resident_id", "3101 0619 9205 1712 31"),
        ("address", "普陀区长风新村街道金沙江路1518弄2号楼702室"),
    ),
    _w(
        "petition",
        "申请人卡尔·施密特（德国籍，护照号码：C1X2Y3Z45）与被申请人南门晓峰签订了租赁合同。",
        ("name", "卡尔·施密特"),
        ("passport", "C1X2Y3Z45"),
        ("name", "南门晓峰"),
    ),
    _w(
        "petition",
        "被申请人黑建国，身份证440304198811090047，经营地址金山区山阳镇卫城村17组。",
        ("name", "黑建国"),
        ("resident_id", "440304198811090047"),
        ("address", "金山区山阳镇卫城村17组"),
    ),
    _w(
        "petition",
        "申请人的工资卡：中国银行 6212 2610 0200 3004 004，户名种晓丽。",
        ("bank_card", "6212 2610 0200 3004 004"),
        ("name", "种晓丽"),
    ),
    _w(
        "note",
        "申请人持台胞证：12345678，其在沪联系人为丌官敏（电话18817779999）。",
        ("permit", "12345678"),
        ("name", "丌官敏"),
        ("mobile", "18817779999"),
    ),
    _w(
        "note",
        "送达地址：崇明区城桥镇鳌山路88号1单元301，收件人羊舌子健。",
        ("address", "崇明区城桥镇鳌山路88号1单元301"),
        ("name", "羊舌子健"),
    ),
    _w(
        "note",
        "被申请人朴成焕称其往来港澳通行证号码 C12345678 已过期，无法出示。",
        ("name", "朴成焕"),
        ("permit", "C12345678"),
    ),
    _w(
        "call",
        "来电人：蔺小雨，来电显示 021 5123 4567，称其住杨浦区五角场镇政学路51号甲，要求上门。",
        ("name", "蔺小雨"),
        ("landline", "021 5123 4567"),
        ("address", "杨浦区五角场镇政学路51号甲"),
    ),
    _w(
        "call",
        "来电人说自己的车架号是LFV2A21K0C3456789，车是在徐汇区斜土路2899甲号的4S店买的。",
        ("vin", "LFV2A21K0C3456789"),
        ("address", "徐汇区斜土路2899甲号"),
    ),
    _w(
        "call",
        "来电人是个外国人，叫约翰·史密斯，说他的手机是+1 415 555 0134。",
        ("name", "约翰·史密斯"),
        ("mobile", "+1 415 555 0134"),
    ),
    _w(
        "court",
        "原告庹春燕诉被告邗志远民间借贷纠纷一案，案号(2026)沪0104民初1号。",
        ("name", "庹春燕"),
        ("name", "邗志远"),
        ("case_no", "(2026)沪0104民初1号"),
    ),
    _w(
        "court",
        "被告的住院号为ZY2026-00123，病案记载其入院时间。",
        ("hospital_no", "ZY2026-00123"),
    ),
)

#: Written by hand after a fifth round of tuning (which read `AFTER_ROUND_4`'s misses):
#: the held-out part now; only measured.
AFTER_ROUND_5: tuple[Written, ...] = (
    _w(
        "wechat",
        "VX: lele-0815，我爸叫韦德胜，他不会用手机，有事找我",
        ("wechat", "lele-0815"),
        ("name", "韦德胜"),
    ),
    _w(
        "wechat",
        "我住松江区泗泾镇古楼公路560弄18号402，快递放门口就行",
        ("address", "松江区泗泾镇古楼公路560弄18号402"),
    ),
    _w(
        "wechat",
        "发票抬头开上海某某商贸有限公司，税号91310115MA1K3XY08Y，发到chenlei2019@gmail.com",
        ("uscc", "91310115MA1K3XY08Y"),
        ("email", "chenlei2019@gmail.com"),
    ),
    _w(
        "wechat",
        "外婆钱玉兰的退休金卡被她侄子拿走了，卡号6228480012345678911",
        ("name", "钱玉兰"),
        ("bank_card", "6228480012345678911"),
    ),
    _w(
        "petition",
        "被申请人：付晓军（曾用名付小军），身份证号码：3201 0219 8005 0612 32，"
        "联系地址：上海市浦东新区张江镇科苑路88号3号楼5层。",
        ("name", "付晓军"),
        ("name", "付小军"),
        ("resident_id", "3201 0219 8005 0612 32"),
        ("address", "上海市浦东新区张江镇科苑路88号3号楼5层"),
    ),
    _w(
        "petition",
        "申请人马丽娟（马女士）与物业保安周建平因停车发生口角，周建平推搡申请人致其摔倒。",
        ("name", "马丽娟"),
        ("name", "周建平"),
    ),
    _w(
        "petition",
        "申请人身份证号410522198001012010，户籍地奉贤区南桥镇江海村3组18号。",
        ("resident_id", "410522198001012010"),
        ("address", "奉贤区南桥镇江海村3组18号"),
    ),
    _w(
        "note",
        "电话回访申请人娜仁花，其表示对方已退还押金。",
        ("name", "娜仁花"),
    ),
    _w(
        "note",
        "被申请人车辆浙A·5B7K9已被交警扣留，车主仇海峰未到场。",
        ("plate", "浙A·5B7K9"),
        ("name", "仇海峰"),
    ),
    _w(
        "note",
        "申请人QQ邮箱123456789@qq.com无法接收附件，改用微信传送。",
        ("email", "123456789@qq.com"),
    ),
    _w(
        "call",
        "来电号码：021-5049 1234 转 2，来电人自称是宝山区大场镇场中路3398弄12号的住户。",
        ("landline", "021-5049 1234 转 2"),
        ("address", "宝山区大场镇场中路3398弄12号"),
    ),
    _w(
        "call",
        "来电人张立新，男，手机号码138 1234 9876，反映闵行区浦江镇联航路1188号3幢的工地夜间施工。",
        ("name", "张立新"),
        ("mobile", "138 1234 9876"),
        ("address", "闵行区浦江镇联航路1188号3幢"),
    ),
    _w(
        "call",
        "来电人称对方在闲鱼上的昵称叫小白，真名柏文静，手机尾号不清楚。",
        ("name", "柏文静"),
    ),
    _w(
        "court",
        "原告：慕容雪，女，汉族，住所地上海市长宁区虹桥路1438号古北国际财富中心二期。",
        ("name", "慕容雪"),
        ("address", "上海市长宁区虹桥路1438号古北国际财富中心二期"),
    ),
    _w(
        "court",
        "被告：佘永刚，男，身份证号码320102198005061232，现羁押于某看守所。",
        ("name", "佘永刚"),
        ("resident_id", "320102198005061232"),
    ),
    _w(
        "court",
        "本院于2025年10月9日作出（2024）沪0115民初字第00123号民事判决。",
        ("date", "2025年10月9日"),
        ("case_no", "（2024）沪0115民初字第00123号"),
    ),
)

#: Written by hand after a sixth round of tuning (which read `AFTER_ROUND_5`'s misses):
#: the held-out part now; only measured.
AFTER_ROUND_6: tuple[Written, ...] = (
    _w(
        "wechat",
        "我是301的住户，姓汪，汪红梅，楼下502装修把我家水管弄坏了",
        ("name", "汪红梅"),
    ),
    _w(
        "wechat",
        "身份证正反面发你了，号码是13010219910909031X，名字别写错，是邬思琪不是吴思琪",
        ("resident_id", "13010219910909031X"),
        ("name", "邬思琪"),
        ("name", "吴思琪"),
    ),
    _w(
        "wechat",
        "地址：杨浦区殷行街道开鲁路500弄6号楼1003，电话19921006688，收件人小金（金宇航）",
        ("address", "杨浦区殷行街道开鲁路500弄6号楼1003"),
        ("mobile", "19921006688"),
        ("name", "金宇航"),
    ),
    _w(
        "petition",
        "申请人：艾合买提江·吐尔逊，男，身份证号310110197503182241，联系电话：150 0012 3456。",
        ("name", "艾合买提江·吐尔逊"),
        ("resident_id", "310110197503182241"),
        ("mobile", "150 0012 3456"),
    ),
    _w(
        "petition",
        "被申请人：上海某教育科技有限公司，实际经营地点为徐汇区漕河泾开发区宜山路700号B2栋8楼。",
        ("address", "徐汇区漕河泾开发区宜山路700号B2栋8楼"),
    ),
    _w(
        "petition",
        "申请人于2025年8月通过支付宝向被申请人付款，被申请人收款账户为招商银行6217009876543213（户名：皮晓东）。",
        ("date", "2025年8月"),
        ("bank_card", "6217009876543213"),
        ("name", "皮晓东"),
    ),
    _w(
        "note",
        "经联系申请人的女儿鲁佳怡（手机：13764567890），得知申请人已住院。",
        ("name", "鲁佳怡"),
        ("mobile", "13764567890"),
    ),
    _w(
        "note",
        "当事人提供的车辆行驶证显示：号牌号码苏A·2M3N4，所有人苗振华，车辆识别代号LSVNV2182N2074567。",
        ("plate", "苏A·2M3N4"),
        ("name", "苗振华"),
        ("vin", "LSVNV2182N2074567"),
    ),
    _w(
        "note",
        "申请人联系邮箱 wu.xiaohong@sjtu.edu.cn，工作单位为某高校。",
        ("email", "wu.xiaohong@sjtu.edu.cn"),
    ),
    _w(
        "call",
        "来电人自称姓司空，叫司空玉洁，手机号码是一三九零一二三四五六七，反映快递被冒领。",
        ("name", "司空玉洁"),
        ("mobile", "一三九零一二三四五六七"),
    ),
    _w(
        "call",
        "来电人称其住在金山区枫泾镇新元村胡家埭45号，家门口的河道被填埋。",
        ("address", "金山区枫泾镇新元村胡家埭45号"),
    ),
    _w(
        "call",
        "来电人QQ：3344556677，要求工作人员通过QQ发送调解书电子版。",
        ("qq", "3344556677"),
    ),
    _w(
        "court",
        "原告：巩晓燕，女，住普陀区真如镇街道铜川路1366弄15号203室。被告：巩晓燕之夫池永强，住同上。",
        ("name", "巩晓燕"),
        ("address", "普陀区真如镇街道铜川路1366弄15号203室"),
        ("name", "池永强"),
    ),
    _w(
        "court",
        "申请执行人储文斌申请执行（2025）沪0107民初8899号民事判决书。",
        ("name", "储文斌"),
        ("case_no", "（2025）沪0107民初8899号"),
    ),
)

#: Sentences without personal data, written with `AFTER_ROUND_6`.
CLEAN_AFTER_ROUND_6: tuple[str, ...] = (
    "调解什么时候开始？我请个假过去。",
    "申请人要求被申请人赔偿误工损失。",
    "楼道里堆满了杂物，存在消防隐患。",
    "来电人询问调解书能否强制执行。",
    "本案经调解，双方自愿达成协议。",
    "嗯嗯，知道了。",
    "房东同意提前解约，不扣押金。",
    "经协商，分三个月还清欠款。",
    "白玉兰广场附近交通拥堵。",
    "申请人对鉴定结论有异议。",
    "江南水乡的古镇游客很多。",
    "被申请人对迟延交房不持异议。",
)

#: Sentences without personal data, written with `AFTER_ROUND_5`.
CLEAN_AFTER_ROUND_5: tuple[str, ...] = (
    "这个事情拖了半年了，能不能快点？",
    "申请人要求被申请人停止侵害。",
    "物业费每平方米每月二元五角。",
    "来电人询问人民调解协议的司法确认程序。",
    "本判决生效后十日内履行。",
    "行，那就这么定了。",
    "双方同意由第三方机构进行评估。",
    "调解员劝说双方各退一步。",
    "华东地区的快递网点普遍爆仓。",
    "金桥镇的工业区噪音扰民。",
    "原告的举证不足以证明其主张。",
    "周一到周五都可以来办理。",
    "黄梅天家里墙面发霉。",
    "石库门老房子的产权比较复杂。",
    "宋庆龄故居附近禁止停车。",
)

#: Sentences without personal data, written with `AFTER_ROUND_4`.
CLEAN_AFTER_ROUND_4: tuple[str, ...] = (
    "您好，我想问一下调解协议有没有法律效力？",
    "申请人请求被申请人支付剩余货款。",
    "双方当事人均同意调解。",
    "来电人咨询离婚财产分割的问题。",
    "本院认为原告的请求于法有据。",
    "好的，明白了，谢谢！",
    "南京路步行街的商户投诉较多。",
    "金山卫的居民反映海边垃圾问题。",
    "万一协商不成，再走诉讼程序。",
    "和平饭店的员工就加班费发生争议。",
    "白天施工噪音大，晚上也不停。",
    "老板说这个月的工资下个月一起发。",
    "安全员已经到现场查看。",
    "平时都是我老伴去买菜。",
    "天气转凉后暖气报修增多。",
)

#: Sentences without personal data, written with `AFTER_ROUND_3`.
CLEAN_AFTER_ROUND_3: tuple[str, ...] = (
    "请问调解成功以后还能反悔吗？",
    "申请人要求对方当面道歉。",
    "该小区共有住户三百余户。",
    "来电人询问法律援助的申请条件。",
    "本院依法适用普通程序审理本案。",
    "商家同意退一半的钱。",
    "双方对房屋交付时间存在争议。",
    "调解员将协议内容逐条向双方宣读。",
    "东方明珠附近的停车场收费过高。",
    "平安里居委会组织了这次调解。",
    "被告经合法传唤拒不到庭。",
    "甘愿承担全部责任的表述不能作为证据。",
    "常年在外打工的子女很少回家。",
    "高温天气施工应注意安全。",
    "邻里之间应当互谅互让。",
)

#: Sentences without personal data, written with `AFTER_TUNING`.
CLEAN_AFTER_TUNING: tuple[str, ...] = (
    "亲，调解书什么时候能寄到啊？",
    "申请人请求被申请人返还多收的物业费。",
    "回访时当事人表示对调解结果满意。",
    "来电人询问调解是否收费，坐席答复不收费。",
    "本院认为，被告的抗辩意见于法无据。",
    "双方约定于下月初完成交房手续。",
    "被申请人同意承担一半的维修费用。",
    "调解员建议双方冷静后再协商。",
    "高层住户反映水压不足，要求物业加装水泵。",
    "向阳小区的停车难问题由来已久。",
    "明天上午九点在司法所调解室见面。",
    "原告明确放弃要求精神损害赔偿的诉讼请求。",
    "老房子的产权证上只登记了一个人的名字。",
    "来电人表示同意由街道出面组织协调。",
    "经鉴定，漏水原因为楼上防水层破损。",
    "平安保险公司已受理理赔申请。",
    "申请人于是撤回了调解申请。",
    "付款方式改为按季度支付。",
    "和解协议签订后双方不得再就此事起诉。",
    "请在收到通知后七日内提交书面意见。",
)

#: Sentences of the same genres without personal data, by half.
CLEAN: dict[str, tuple[str, ...]] = {
    "tune": (
        "在吗？调解的事情有进展了吗",
        "申请人要求被申请人赔礼道歉并恢复原状。",
        "调解员向双方说明了调解的自愿原则。",
        "来电人反映小区电梯经常停运，要求物业维修。",
        "本院认为，当事人对自己提出的主张有责任提供证据。",
        "好的，那我周三下午两点过来。",
        "双方同意由物业公司牵头协商停车位的分配。",
        "经调解，被申请人同意一次性退还会员费。",
        "来电人称快递丢失，平台客服不予处理。",
        "原告的诉讼请求缺乏事实依据，本院不予支持。",
        "申请人系退休职工，身体状况较差。",
        "我们小区的垃圾分类一直做得不好。",
        "被申请人对装修质量问题予以认可。",
        "调解成功后双方握手言和。",
        "坐席已告知来电人调解的受理条件。",
        "本案适用简易程序，公开开庭进行了审理。",
        "老人家想把房子过户给小儿子，其他子女不同意。",
        "对方说下个月一定还钱，我不太相信。",
        "建议当事人保留好购物小票和聊天记录。",
        "村委会出面协调了两户人家的宅基地纠纷。",
        "楼上漏水把我家天花板泡坏了。",
        "申请人明确表示不同意延期。",
        "经现场查看，围墙确有开裂。",
        "来电人要求工作人员尽快回电。",
        "判决如下：驳回原告的全部诉讼请求。",
        "司机师傅态度很好，主动报了警。",
        "居委会主任组织双方在会议室面谈。",
        "保险公司已经完成定损。",
        "申请人同意分期付款方案。",
        "对于违约金的计算方式，双方仍有分歧。",
    ),
    "report": (
        "您好，请问周末可以来办理吗？",
        "申请人请求解除双方签订的租赁合同。",
        "调解员耐心听取了双方的陈述。",
        "来电人咨询劳动仲裁的申请材料。",
        "本院依法组成合议庭进行了审理。",
        "收到，谢谢您，辛苦了！",
        "双方对维修费用的分担达成一致。",
        "被申请人承诺在十日内完成整改。",
        "来电人反映外卖送餐超时，商家拒绝退款。",
        "被告未到庭参加诉讼，亦未提交答辩意见。",
        "申请人是外地来沪务工人员。",
        "我们这栋楼的住户都很关心这件事。",
        "物业公司同意减免部分物业费。",
        "经多次协商，双方仍未达成一致意见。",
        "坐席已将工单转交区调解中心。",
        "本判决为终审判决。",
        "邻居家的狗每天晚上叫个不停。",
        "他说明天就把钱打过来，到现在也没动静。",
        "请双方当事人按时到场参加调解。",
        "街道司法所安排了人民调解员。",
        "房东不肯退押金，说墙面弄脏了。",
        "被申请人对赔偿数额提出异议。",
        "调解过程中双方都做出了让步。",
        "来电人情绪平稳，表示理解。",
        "案件受理费由被告负担。",
        "店长答应给我换一台新的。",
        "社区民警也参与了这次调解。",
        "保险理赔款已经到账。",
        "申请人愿意放弃部分利息。",
        "关于孩子的抚养费问题，双方各执一词。",
    ),
}


#: The parts written by hand, in order, each after the round of tuning named: (texts,
#: clean sentences). Only the last is held out; each earlier one was read by the next
#: round; the last one ("after round 6") is the held-out part of the figures.
WRITTEN_AFTER: dict[str, tuple[tuple[Written, ...], tuple[str, ...]]] = {
    "after round 2": (AFTER_TUNING, CLEAN_AFTER_TUNING),
    "after round 3": (AFTER_ROUND_3, CLEAN_AFTER_ROUND_3),
    "after round 4": (AFTER_ROUND_4, CLEAN_AFTER_ROUND_4),
    "after round 5": (AFTER_ROUND_5, CLEAN_AFTER_ROUND_5),
    "after round 6": (AFTER_ROUND_6, CLEAN_AFTER_ROUND_6),
}
