"""The third corpus, REPORT half: held out, for measuring only, never for tuning.

Other templates, pools and written forms than the tuning half (``tests/corpus/unseen.py``),
plus texts written by hand (``HANDWRITTEN``) and sentences with no personal data in them
(``CLEAN``). Whoever tunes the rules (privacy/pii/) must not read this file: benchmarks/scrubber.py
prints only aggregate figures for it. Labelling decisions are in
``tests/corpus/unseen_kit.py``.

    corpus(n=600, seed=2612) -> [(text, [Span, ...]), ...]
"""

from __future__ import annotations

import random

from privacy.pii import Span
from tests.corpus.unseen_kit import (
    Genre,
    Maker,
    Piece,
    build,
    concat,
    digits,
    full_width,
    label,
    make_card,
    make_mobile,
    make_resident_id,
    make_uscc,
    make_vin,
    marked,
    words,
)

# --- pools (none shared with the tuning half) --------------------------------------------

SURNAMES = tuple("赵郑谢韩唐冯于董程曹袁邓许傅曾彭吕苏卢蒋金姚邱严奚濮")
RARE_SURNAMES = tuple("禚仉谯眭笪亓逄冼訾隗郜殳宓")
COMPOUND_SURNAMES = words("慕容 皇甫 东方 令狐 尉迟 公孙 夏侯 宇文 长孙 端木")
GIVEN = tuple(
    "志海波燕萍玲春梅亮健俊峰林忠德荣福生根宝龙凤琴莉慧颖蕾薇晨阳然彤悦妍萱铭泽昊宸瑶珊诗雨航锦卫勤"
)
MINORITY = words(
    "热合曼•艾山 帕提古丽•托合提 买买提江•卡德尔 依明江・吾守尔 阿卜杜拉・热依木 麦尔哈巴•阿布力孜 次仁央宗 格桑梅朵 乌日娜"
)
PINYIN = ("ZHAO HAIBO", "XIE YANPING", "HAN JUNFENG", "TANG LIMEI", "FENG ZHILIANG")
TITLES_BEFORE = ("阿",)
TITLES_AFTER = words("总 姐 老师 叔 经理 医生 阿婆 爷叔")

DISTRICTS = {
    "宝山区": (("罗店镇", "顾村镇"), ("友谊路街道",)),
    "杨浦区": ((), ("五角场街道", "控江路街道")),
    "松江区": (("九亭镇", "泗泾镇"), ("岳阳街道",)),
    "奉贤区": (("南桥镇", "庄行镇"), ()),
    "青浦区": (("朱家角镇", "练塘镇"), ("夏阳街道",)),
    "金山区": (("枫泾镇", "亭林镇"), ("石化街道",)),
    "虹口区": ((), ("四川北路街道", "欧阳路街道")),
    "长宁区": ((), ("天山路街道", "虹桥街道")),
    "黄浦区": ((), ("打浦桥街道", "豫园街道")),
    "崇明区": (("陈家镇", "堡镇"), ()),
}
ROADS = words(
    "牡丹江路 共富路 殷高西路 国和路 沪松公路 荣乐东路 百齐路 公园路 卫清西路 曲阳路 天山路 陆家浜路 军工路 淞沪路"
)
NEW_VILLAGES = words("延吉 控江 凉城 长白 鞍山 通河")
GARDENS = ("馨宁", "嘉怡", "秀水", "丽景")
VILLAGES = words("塘湾 齐贤 中洪 金卫 赵屯 新浜")
ZONES = words("松江工业区 青浦工业园区 奉贤经济开发区 金山第二工业区 宝山城市工业园区")
RURAL = (
    ("江西省", "上饶市", "鄱阳县", ("饶丰镇", "油墩街镇")),
    ("湖北省", "黄冈市", "蕲春县", ("漕河镇", "张榜镇")),
    ("山东省", "菏泽市", "曹县", ("庄寨镇", "普连集镇")),
    ("贵州省", "毕节市", "织金县", ("猫场镇", "珠藏镇")),
    ("甘肃省", "天水市", "秦安县", ("莲花镇", "西川镇")),
)
RURAL_VILLAGES = ("杨家", "石门", "陈坝", "高庙")
COMPANIES = (
    "上海恒通汽车销售服务有限公司",
    "上海鑫源装饰工程有限公司",
    "上海乐享家政服务有限公司",
    "上海捷运快递有限公司",
    "上海东海岸酒店管理有限公司",
    "上海康桥养老服务中心",
)
ID_AREAS = words("310109 310110 310113 310118 310151 362330 421126 522425")
USCC_PREFIXES = ("92", "52", "93", "12")
USCC_AREAS = ("310113", "310110", "310117", "310120")
MOBILE_PREFIXES = words("136 137 152 157 159 183 189 166 173")
LANDLINE_AREAS = ("021", "0571", "0551")
EMAIL_LOCALS = words("haibo.zhao yanping_xie junfeng tanglm fzl shmeimei")
EMAIL_DOMAINS = words("foxmail.com hotmail.com yeah.net sina.cn aliyun.com")
CARD_BINS = ("621483", "622588", "623668", "625908")
PLATE_PREFIXES = words("沪C 沪D 沪G 沪N 浙F 鲁R")
VIN_WMIS = words("LBV LGB LVS LHG LE4 LGX")
WECHAT_STEMS = words("Lily KevinZ hu-xiaomi Sh_daddy panda Cc")
COURTS = words("沪0113 沪0110 沪0117 沪0120 沪0118 沪0116 沪0109 沪0105 沪74")
COURT_TYPES = ("民特", "执", "执异", "民申")
ARBITRATIONS = tuple("宝松奉青金虹长崇")
CAPITALS = {
    2600: "贰仟陆佰元整",
    5500: "伍仟伍佰元整",
    9800: "玖仟捌佰元整",
    15000: "壹万伍仟元整",
    35000: "叁万伍仟元整",
    48000: "肆万捌仟元整",
    260000: "贰拾陆万元整",
}

POOLS: dict[str, tuple[str, ...]] = {
    "surnames": SURNAMES + RARE_SURNAMES + COMPOUND_SURNAMES,
    "given": GIVEN,
    "minority": MINORITY + PINYIN,
    "titles": TITLES_BEFORE + TITLES_AFTER,
    "districts": tuple(DISTRICTS),
    "towns": tuple(t for ts, ss in DISTRICTS.values() for t in ts + ss),
    "roads": ROADS,
    "villages": VILLAGES + RURAL_VILLAGES,
    "estates": NEW_VILLAGES + GARDENS,
    "zones": ZONES,
    "rural": tuple(p for r in RURAL for p in r[:3]) + tuple(t for r in RURAL for t in r[3]),
    "companies": COMPANIES,
    "id_areas": ID_AREAS,
    "mobile_prefixes": MOBILE_PREFIXES,
    "email": EMAIL_LOCALS + EMAIL_DOMAINS,
    "card_bins": CARD_BINS,
    "plates": PLATE_PREFIXES,
    "vin": VIN_WMIS,
    "wechat": WECHAT_STEMS,
    "courts": COURTS + COURT_TYPES,
    "arbitrations": ARBITRATIONS,
}

# --- values in this half's written forms -------------------------------------------------


def _name(rng: random.Random) -> str:
    r = rng.random()
    surname = (
        rng.choice(COMPOUND_SURNAMES)
        if r < 0.12
        else rng.choice(RARE_SURNAMES)
        if r < 0.3
        else rng.choice(SURNAMES)
    )
    return surname + "".join(rng.sample(GIVEN, rng.choice((1, 2, 2))))


def name(rng: random.Random) -> Piece:
    return label("name", _name(rng))


def minority(rng: random.Random) -> Piece:
    return label("name", rng.choice(MINORITY))


def pinyin(rng: random.Random) -> Piece:
    return label("name", rng.choice(PINYIN))


def titled(rng: random.Random) -> Piece:
    surname = rng.choice(SURNAMES + RARE_SURNAMES)
    if rng.random() < 0.2:
        return concat(rng.choice(TITLES_BEFORE), label("name", surname))
    return concat(label("name", surname), rng.choice(TITLES_AFTER))


_SPOKEN = dict(zip("0123456789X", "零一二三四五六七八九叉", strict=True))


def _said(v: str, groups: tuple[int, ...]) -> str:
    out, pos = [], 0
    for g in groups:
        out.append("".join(_SPOKEN[c] for c in v[pos : pos + g]))
        pos += g
    return "，".join(out)


def resident_id(rng: random.Random) -> Piece:
    form = rng.randrange(4)
    if form == 1:  # lower-case x
        return label("resident_id", make_resident_id(rng, ID_AREAS, want_x=True).lower())
    v = make_resident_id(rng, ID_AREAS)
    if form == 0:
        return label("resident_id", f"{v[:6]}-{v[6:14]}-{v[14:]}")
    if form == 2:
        return label("resident_id", " ".join(v[i : i + 4] for i in range(0, 18, 4)))
    old = v[:6] + v[8:17]
    return label("resident_id", f"{old[:6]} {old[6:12]} {old[12:]}")


def resident_id_said(rng: random.Random) -> Piece:
    v = make_resident_id(rng, ID_AREAS)
    return label("resident_id", _said(v, (6, 4, 4, 4)))


def mobile(rng: random.Random) -> Piece:
    v = make_mobile(rng, MOBILE_PREFIXES)
    forms = (
        f"0086-{v}",
        f"+86-{v[:3]}-{v[3:7]}-{v[7:]}",
        f"{v[:3]} {v[3:6]} {v[6:]}",
        f"{v[:4]} {v[4:7]} {v[7:]}",
        " ".join(full_width(p) for p in (v[:3], v[3:7], v[7:])),
        f"(+86){v}",
        f"{v[:3]}.{v[3:7]}.{v[7:]}",
    )
    return label("mobile", rng.choice(forms))


def mobile_said(rng: random.Random) -> Piece:
    return label("mobile", _said(make_mobile(rng, MOBILE_PREFIXES), (3, 4, 4)))


def landline(rng: random.Random) -> Piece:
    area = rng.choice(LANDLINE_AREAS)
    number = digits(rng, 8, "2345678")
    ext = digits(rng, rng.choice((2, 3, 4)))
    forms = (
        f"{area} {number[:4]} {number[4:]} 分机 {ext}",
        f"+86 {area[1:]} {number[:4]} {number[4:]}",
        full_width(f"{area}-{number}"),
        f"({area}){number[:4]}-{number[4:]}转{ext}",
        f"{area}-{number}-{ext}",
    )
    return label("landline", rng.choice(forms))


def landline_said(rng: random.Random) -> Piece:
    return label("landline", _said("021" + digits(rng, 8, "2345678"), (3, 4, 4)))


def email(rng: random.Random) -> Piece:
    local = rng.choice(EMAIL_LOCALS) + rng.choice(("", "77", "2008", "sh"))
    domain = rng.choice(EMAIL_DOMAINS)
    user, tld = domain.split(".")
    forms = (
        f"{local}(at){domain}",
        f"{local}#{domain}",
        f"{local} [at] {user} [dot] {tld}",
        f"{local}＠{user}．{tld}",
        f"{local} @ {domain}",
        f"{local}@{domain}".upper(),
    )
    return label("email", rng.choice(forms))


def bank_card(rng: random.Random) -> Piece:
    v = make_card(rng, CARD_BINS)
    groups = [v[i : i + 4] for i in range(0, len(v), 4)]
    forms = (" ".join(full_width(g) for g in groups), f"{v[:6]} {v[6:]}", ".".join(groups))
    return label("bank_card", rng.choice(forms))


def _plate_serial(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return digits(rng, 5, "0123456789")
    if kind == 1:
        s = list(digits(rng, 5, "0123456789"))
        for i in rng.sample(range(5), 2):
            s[i] = rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
        return "".join(s)
    if kind == 2:
        return rng.choice("DF") + rng.choice("ABCDEFGHJK") + digits(rng, 4, "0123456789")
    return digits(rng, 5, "0123456789") + rng.choice("DF")  # new energy, large vehicle


def plate(rng: random.Random) -> Piece:
    prefix, serial = rng.choice(PLATE_PREFIXES), _plate_serial(rng)
    form = rng.randrange(4)
    if form == 3:
        return label("plate", prefix[0] + prefix[1].lower() + serial)
    return label("plate", prefix + (" ", "-", "•")[form] + serial)


def passport(rng: random.Random) -> Piece:
    body = digits(rng, 8, "0123456789")
    forms = (
        "E" + rng.choice("ABCDEFGHJK") + body[1:],
        "e" + body,
        f"E {body[:4]} {body[4:]}",
        full_width("E" + body),
    )
    return label("passport", rng.choice(forms))


def permit(rng: random.Random) -> Piece:
    """往来港澳通行证 (new: C and a letter), 回乡证 with ten digits, lower-case c."""
    forms = (
        "C" + rng.choice("ABCDEFGHJK") + digits(rng, 7, "0123456789"),
        "H" + digits(rng, 10, "0123456789"),
        "c" + digits(rng, 8, "0123456789"),
    )
    return label("permit", rng.choice(forms))


def taiwan(rng: random.Random) -> Piece:
    """台胞证: the old ten digits with a letter in brackets, or eight digits in two groups."""
    if rng.random() < 0.5:
        return label("permit", f"{digits(rng, 10, '0')}({rng.choice('ABC')})")
    v = digits(rng, 8, "0123456789")
    return label("permit", f"{v[:4]} {v[4:]}")


def wechat(rng: random.Random) -> Piece:
    stem = rng.choice(WECHAT_STEMS)
    return label("wechat", stem + rng.choice(("-", "_", "")) + digits(rng, rng.randint(3, 6)))


def qq(rng: random.Random) -> Piece:
    return label("qq", digits(rng, rng.choice((5, 6, 7, 11))))


def court_no(rng: random.Random) -> Piece:
    year, seq = rng.randint(2021, 2026), rng.randint(1, 29999)
    left, right = rng.choice((("（", "）"), ("〔", "〕")))
    return label(
        "case_no", f"{left}{year}{right}{rng.choice(COURTS)}{rng.choice(COURT_TYPES)}{seq}号"
    )


def arb_no(rng: random.Random) -> Piece:
    year, seq, org = rng.randint(2021, 2026), rng.randint(1, 9999), rng.choice(ARBITRATIONS)
    forms = (
        f"{org}劳人仲（{year}）办字第{seq}号",
        f"{org}劳人仲〔{year}〕字第{seq}号",
        f"{org}劳人仲({year})调字第{seq}号",
    )
    return label("case_no", rng.choice(forms))


def vin(rng: random.Random) -> Piece:
    v = make_vin(rng, VIN_WMIS)
    return label("vin", rng.choice((v.lower(), f"{v[:3]} {v[3:9]} {v[9:]}")))


def hospital_no(rng: random.Random) -> Piece:
    y = rng.randint(2019, 2026)
    forms = (f"ZY{y}{digits(rng, 7, '0123456789')}", f"MZ-{y}-{digits(rng, 7, '0')}")
    return label("hospital_no", rng.choice(forms))


def uscc(rng: random.Random) -> Piece:
    v = make_uscc(rng, USCC_PREFIXES, USCC_AREAS)
    return label(
        "uscc", rng.choice((" ".join(v[i : i + 4] for i in range(0, 18, 4)), full_width(v)))
    )


_CN = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def date(rng: random.Random) -> Piece:
    y, m, d = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
    forms = (
        f"{y}.{m}.{d}",
        f"{y}/{m:02d}/{d:02d}",
        "".join(_CN[int(c)] for c in str(y)) + f"年{_cn_number(m)}月{_cn_number(d)}日",
        f"{m}月{d}号",
        f"{y % 100}年{m}月{d}号",
    )
    return label("date", rng.choice(forms))


def birth(rng: random.Random) -> Piece:
    y, m, d = rng.randint(1950, 2003), rng.randint(1, 12), rng.randint(1, 28)
    return label("date", rng.choice((f"{y}.{m}.{d}", f"{y}/{m:02d}/{d:02d}")))


def amount(rng: random.Random) -> Piece:
    n = rng.choice(tuple(CAPITALS))
    forms = (
        f"{n}块",
        f"RMB {n}",
        f"￥{n:,}",
        CAPITALS[n],
        f"{n}.00元",
    )
    if n >= 10000:  # 1.5w: how chats write tens of thousands
        forms += (f"{n / 10000:g}w",)
    return label("amount", rng.choice(forms))


def address(rng: random.Random) -> Piece:
    district = rng.choice(tuple(DISTRICTS))
    towns, streets = DISTRICTS[district]
    road = rng.choice(ROADS)
    n = rng.randint
    form = rng.randrange(6)
    if form == 2 and not towns:
        form = 0
    if form == 1 and not streets:
        form = 3
    if form == 0:
        v = f"{district}{rng.choice(NEW_VILLAGES)}新村{n(1, 300)}号{n(1, 6)}0{n(1, 4)}室"
    elif form == 1:
        v = f"{district}{rng.choice(streets)}{road}{n(1, 2000)}号{rng.choice('ABCD')}座{n(2, 30)}0{n(1, 9)}室"
    elif form == 2:
        group = _cn_number(n(1, 12))
        v = f"{district}{rng.choice(towns)}{rng.choice(VILLAGES)}村{group}组{n(1, 400)}号"
    elif form == 3:
        v = f"{district}{road}{n(1, 1800)}弄{n(1, 30)}支弄{n(1, 60)}号{n(1, 6)}0{n(1, 3)}室"
    elif form == 4:
        v = f"{rng.choice(ZONES)}{road}{n(1, 999)}号{n(1, 9)}号厂房"
    else:
        v = f"{district}{road}{n(1, 2000)}号{rng.choice(GARDENS)}苑{n(1, 30)}栋{n(1, 18)}0{n(1, 4)}"
    return label("address", v)


def rural(rng: random.Random) -> Piece:
    prov, city, county, towns = rng.choice(RURAL)
    village = rng.choice(RURAL_VILLAGES)
    tail = rng.choice((f"村委会{_cn_number(rng.randint(1, 9))}组", f"村{rng.randint(1, 80)}号"))
    return label("address", f"{prov}{city}{county}{rng.choice(towns)}{village}{tail}")


def company(rng: random.Random) -> Piece:
    return rng.choice(COMPANIES), []


SLOTS: dict[str, Maker] = {
    "name": name,
    "minority": minority,
    "pinyin": pinyin,
    "title": titled,
    "rid": resident_id,
    "rid_said": resident_id_said,
    "mobile": mobile,
    "mobile_said": mobile_said,
    "landline": landline,
    "landline_said": landline_said,
    "email": email,
    "card": bank_card,
    "plate": plate,
    "passport": passport,
    "permit": permit,
    "taiwan": taiwan,
    "wechat": wechat,
    "qq": qq,
    "court_no": court_no,
    "arb_no": arb_no,
    "vin": vin,
    "hosp": hospital_no,
    "uscc": uscc,
    "date": date,
    "birth": birth,
    "amount": amount,
    "addr": address,
    "rural": rural,
    "company": company,
}

# --- genres ------------------------------------------------------------------------------

GENRES: dict[str, Genre] = {
    "wechat_sms": Genre(
        (
            "在吗？我是{addr}的租客，热水器坏了三天了，{title}你什么时候派人来修？",
            "【信用卡中心】尊敬的{name}客户，您的账单已逾期，请于{date}前还款{amount}，详询{landline}。",
            "这是我薇信 {wechat}，语音说得清楚点",
            "哥，我身份证{rid}，你帮我查下社保是不是断了",
            "{name}你再不还钱我就去你单位闹，你住哪我都知道，{addr}！",
            "快递放在{addr}门口了，签收人{name}，有问题回电{mobile}",
            "wx：{wechat}，扣扣{qq}也行，手机丢了暂时用不了",
            "卡号{card}，户名{name}，钱打这里就行",
        ),
        (
            "晓得了，明早再讲。",
            "电梯又坏了，爬到18楼累死了😂",
            "业主群里说下礼拜要开会，投票换物业。",
            "刚刚看到通知，水管明天上午修。",
            "你到了小区门口打我电话，我下来接你。",
        ),
        "\n",
    ),
    "hotline": Genre(
        (
            "接线员：麻烦留一下联系方式。\n来电人：{mobile_said}，{name}。",
            "来电人：我身份证号念给你听，{rid_said}。",
            "来电人：就是{addr}，对面那个棋牌室天天开到半夜，{title}他们也反映过。",
            "接线员：您说的座机是多少？\n来电人：{landline_said}，是居委会的。",
            "来电人：我女儿叫{name}，学校乱收费{amount}，家住{addr}。",
            "来电人：那辆车牌{plate}的面包车每天堵在消防通道上，太危险了。",
            "来电人：我是外地来沪务工的，老家{rural}，工资被包工头{name}扣了{amount}。",
        ),
        (
            "接线员：您的来电已记录，工单编号会以短信形式发送给您。",
            "来电人：我打了三次了，每次都说会转给城管，到现在也没人来。",
            "接线员：请问具体是在哪个路口？\n来电人：五角场那边，靠近万达广场。",
            "接线员：稍后会有工作人员与您联系，请保持电话畅通。",
            "来电人：晚上十点以后还在施工，已经连续一个礼拜了。",
        ),
        "\n",
    ),
    "petition": Genre(
        (
            "答辩人（被申请人）：{company}，统一社会信用代码：{uscc}，地址：{addr}，负责人：{name}，电话：{landline}。",
            "申请人姓名：{name}　性别：女　民族：汉　出生日期：{birth}　身份证号：{rid}",
            "申请人{name}是被申请人{company}的员工，双方于{date}签订了为期三年的劳动合同。",
            "被申请人：{minority}，男，{birth}生，住{rural}，现暂住{addr}，手机{mobile}。",
            "仲裁请求：1.裁决被申请人支付{date}至{date}期间的加班费{amount}；2.返还押金{amount}。",
            "申请人之妻{name}可以证明，当日申请人在{addr}摔倒受伤，病案号{hosp}。",
            "具状人：{name}\n代书人：{name}\n{date}",
        ),
        (
            "综上所述，被申请人的行为违反了《劳动法》第五十条的规定。",
            "请求仲裁委员会依法裁决，支持申请人的全部请求。",
            "证据一：劳动合同复印件；证据二：银行流水；证据三：微信聊天记录截图。",
            "答辩人不同意申请人的仲裁请求，理由如下。",
        ),
        "\n",
    ),
    "mediation": Genre(
        (
            "问：你的基本情况？\n答：{name}，{birth}生，住{addr}，身份证{rid}。",
            "问：对方是谁？\n答：对方是{name}，我们是邻居，他家住{addr}。",
            "问：你们之间因为什么事情发生纠纷？\n答：{title}家的狗咬了我，医药费花了{amount}，病历号{hosp}。",
            "当事人{name}（联系电话{mobile}）、{name}（联系电话{mobile}）到场。",
            "协议内容：乙方于{date}前将{amount}转入甲方银行卡{card}，甲方收款后不再追究。",
            "被申请人{name}系申请人{name}之子，持港澳居民来往内地通行证，号码{permit}。",
            "调解员{name}、{name}主持调解，书记员{name}记录。",
        ),
        (
            "问：你对对方提出的赔偿要求有什么意见？\n答：太高了，我最多出一半。",
            "调解员向双方释明了相关法律规定。",
            "双方同意先由物业出具漏水原因的书面说明。",
            "本次调解未达成一致，双方同意下周再来。",
        ),
        "\n",
    ),
    "notice": Genre(
        (
            "【业委会公告】经核查，{addr}住户擅自在屋顶搭建阳光房，请于{date}前自行拆除。",
            "致{name}先生：您承租的{addr}租期将于{date}届满，如需续租请联系房东{title}，{mobile}。",
            "停车场公告：以下车辆欠费超过三个月：{plate}、{plate}，请车主尽快到管理处补缴。",
            "寻物启事：本人{date}在小区内遗失钱包一个，内有身份证（{rid}）及银行卡，拾到者请联系{mobile}，必有酬谢。",
            "通知：本小区{date}起更换门禁卡，每户须凭房产证到物业办理，物业座机{landline}。",
            "欠费公示：{addr}，业主{name}，欠缴物业费及停车费合计{amount}。",
        ),
        (
            "高空抛物是违法行为，一经查实将移交公安机关处理。",
            "小区东门因道路施工临时关闭，请业主从西门进出。",
            "本月起垃圾投放时间调整为早上7点至9点、晚上6点至8点。",
            "电动自行车集中充电棚已建成，位于9号楼北侧。",
        ),
        "\n",
    ),
    "labour": Genre(
        (
            "我叫{name}，是{company}的快递员，公司以我迟到为由扣了我{amount}。",
            "老板{name}把我们的工资打到他老婆的卡{card}上，说是避税。",
            "我{date}被公司口头辞退，没给任何书面通知，人事{title}的vx号是{wechat}。",
            "附件：工资条照片、考勤记录，已发送至{email}。",
            "我的工友{name}在工地上从脚手架摔下来，现在在医院，住院号{hosp}，老板一分钱没出。",
            "公司法人{name}，身份证{rid}，公司注册地{addr}，实际在{addr}办公。",
            "工资从{date}开始就没发过，一共欠了{amount}，我手机{mobile}。",
        ),
        (
            "公司让我们签自愿放弃社保的协议，不签就不让上班。",
            "加班从来不算加班费，一天干十二个小时。",
            "我们是劳务派遣过去的，派遣公司和用工单位互相推。",
            "请求监察大队责令公司补发工资。",
        ),
        "\n",
    ),
    "court": Genre(
        (
            "上海市宝山区人民法院\n执行裁定书\n{court_no}\n申请执行人：{name}，住{addr}。",
            "被执行人{name}名下车辆（号牌{plate}，车辆识别代号{vin}）已被本院查封。",
            "申请人{name}，女，{birth}出生，持中华人民共和国护照，护照号{passport}。",
            "本案经{arb_no}仲裁裁决后，原告不服，于法定期限内向本院提起诉讼。",
            "第三人{name}，澳门特别行政区居民，港澳居民来往内地通行证号码{permit}。",
            "被告{name}，系{company}法定代表人，公民身份号码{rid}。",
            "台湾居民{name}（台胞证号码{taiwan}）委托{name}律师代为参加诉讼。",
            "本院于{date}作出{court_no}裁定，冻结被执行人{name}银行存款{amount}。",
        ),
        (
            "本裁定送达后立即生效。",
            "依照《中华人民共和国民事诉讼法》第二百四十七条之规定，裁定如下。",
            "审判长　张某某　审判员　李某　书记员　陈某",
            "被申请人某某公司经本院合法传唤，无正当理由未到庭参加诉讼。",
        ),
        "\n",
    ),
    "shop": Genre(
        (
            "用户：你们寄错货了，我要的是黑色。收货人{name}，{mobile}，{addr}",
            "售后：已为您登记换货，快递小哥会在{date}上门取件。",
            "用户：发票寄到这个邮箱{email}，公司名{company}，信用代码{uscc}",
            "售后：请提供一下订单绑定的手机号。\n用户：{mobile}",
            "用户：退款到哪了？我卡号{card}，到现在没看到{amount}",
            "用户：我加了你们店长的威信{wechat}，他说给我补差价{amount}",
            "用户：代购要护照，我的是{passport}，名字拼音是{pinyin}",
        ),
        (
            "售后：非常抱歉给您带来不便，这边马上为您处理。",
            "用户：包装都破了，里面的杯子碎了两个。",
            "售后：亲，生鲜类商品不支持七天无理由退货哦。",
            "用户：什么时候能到？我周末不在家。",
        ),
        "\n",
    ),
}

TEMPLATES: tuple[str, ...] = tuple(t for g in GENRES.values() for t in g.templates)
GENERATED_CLEAN: tuple[str, ...] = tuple(c for g in GENRES.values() for c in g.clean)


def corpus(n: int = 600, seed: int = 2612) -> list[tuple[str, list[Span]]]:
    """``n`` labelled documents of the report half, the same for the same seed."""
    return build(GENRES, SLOTS, n, seed)


# --- written by hand: several per genre and per kind -------------------------------------

_HANDWRITTEN = (
    # WeChat / SMS
    "«name|濮凤琴»阿姨，我是隔壁«address|杨浦区控江路1150弄12号602室»的，您家洗衣机排水管漏到我们天花板了，我薇信«wechat|Jiang_Yi-1987»，您加一下",
    "兄弟，借你的«amount|两万»下个月«date|15号»前一定还，不信你记一下我身份证«resident_id|310109-19680313-0750»",
    "【房东 禚师傅】下个月起房租涨到«amount|5200»一个月，不同意的话«date|3.31»前搬走，押金退到你那张«bank_card|6259　0875　1163　7268»",
    "V信搜«wechat|momo_lin_sh»就是我，头像是只橘猫。手机«mobile|+8615921873364»",
    "«name|东方晓雯»，快递到了，我帮你放在«address|虹口区曲阳路街道玉田新村47号»门卫那里了",
    "老公你记一下，医院的电话«landline|021-5566 7788»，«name|谯»医生说明天下午去复查",
    # 12345 hotline
    "接线员：请问您贵姓？\n来电人：姓«name|眭»，眼字旁一个圭，全名«name|眭建新»，电话«mobile|一五二，六六零八，三一七四»。",
    "来电人：我是«address|松江区泗泾镇古楼公路485弄9号1301室»的业主，楼下«name|冼»总开的足浴店半夜还放音乐。",
    "接线员：您的证件号码？\n来电人：«resident_id|三一零一一八，一九七五，零七零三，零九三二»，最后一位是二。",
    "来电人：我婆婆叫«name|亓秀凤»，住在«address|奉贤区庄行镇新叶村四组28号»，村里把她家的宅基地占了。",
    "来电人：那个工地的负责人是«name|笪»经理，他留的座机是«landline|(021) 6288-1234»，一直打不通。",
    # 申请书 / 答辩状
    "申请人：«name|慕容雪芬»，女，«date|1979年11月3日»生，汉族，身份证号码«resident_id|3623 3020 0009 0459 72»，住«address|江西省上饶市鄱阳县饶丰镇石门村委会三组»。",
    "被申请人：上海乐享家政服务有限公司，统一社会信用代码«uscc|9231 0117 FTJ5 8904 5H»，住所地«address|闵行区虹梅南路5000弄7号B座1102室»。",
    "答辩人«name|尉迟鹏»，男，«date|1990.6.18»出生，身份证«resident_id|31011319620118297x»，电话«mobile|(+86)13671829035»，委托代理人«name|訾文静»律师。",
    "申请人之夫«name|殳卫东»于«date|2025年8月»在工地受伤，住院号«hospital_no|ZY2025110387»，至今医药费«amount|¥38,650»由申请人垫付。",
    "事实与理由：申请人原系被申请人处保安，月薪«amount|6,500元»，被申请人自«date|2026年1月»起停发工资，申请人多次找法定代表人«name|宓志刚»协商未果。",
    "此致\n上海市黄浦区劳动人事争议仲裁委员会\n申请人：«name|阿卜杜热合曼•吐尔洪»\n«date|二〇二六年二月九日»",
    # 调解笔录
    "调解员：请报一下姓名和住址。\n申请人：«name|郜春梅»，住«address|宝山区罗店镇美兰湖新村138号502室»，手机«mobile|1830 217 6695»。",
    "被申请人：我是«name|冼俊豪»，是«name|冼»老先生的小儿子，代表我爸来的，我的身份证«resident_id|310118 1975 0703 0932»。",
    "调解员：«name|仉»阿婆，您说的那笔«amount|三千五»是现金还是转账？\n申请人：转账，转到他那个«bank_card|622588 4862057986821»。",
    "经调解，双方达成协议：一、被申请人«name|皇甫立新»于«date|2026年3月10日»前赔偿申请人«amount|12000元»；二、款项通过微信转账支付，申请人微信号«wechat|hbq_0712»。",
    "申请人«name|热依拉•阿不都热依木»由其女«name|迪娜•艾尼»陪同，其女持往来港澳通行证«permit|CD6612098»。",
    # 物业 / 房东通知
    "温馨提示：«address|青浦区夏阳街道青松路268弄C区17号»的住户，您家门口的鞋柜占用公共通道，请于本周内清理。",
    "催款函\n«name|逄志强»先生：您租住的«address|长宁区天山路街道仙霞路356号D座1507室»已拖欠房租«amount|人民币壹万零肆佰元»，请于«date|2026/02/28»前付清。",
    "车位通知：车牌«plate|沪N 3K8M2»、«plate|浙F-D8K216»的车主请注意，月租车位已到期，请到物业续费。",
    "失物招领：保安在地下车库拾到一本护照，持照人«name|公孙燕»，护照号«passport|EJ5562107»，请到物业前台领取。",
    "装修备案：«address|嘉定区安亭镇墨玉南路1055号1号楼3单元702»业主«name|长孙颖»，装修负责人«name|严»师傅，电话«mobile|152.1067.3318»。",
    # 劳动争议投诉
    "投诉对象：上海东海岸酒店管理有限公司，信用代码«uscc|９１３１０１０９ＣＣＣＣ３ＦＬＣ３８»，地址«address|金山区石化街道卫零路485号»。",
    "我叫«name|隗宝根»，在这家厂做了六年，厂长«name|程»总说厂要搬到«address|安徽省宣城市广德县新杭镇东亭乡横山村»，不去就算自动离职。",
    "我们拖欠工资的名单：«name|令狐德荣»«amount|8,200»、«name|宇文萍»«amount|7,650»、«name|依明•买买提»«amount|9,100»，以上都有考勤记录。",
    "证据已发至你们的邮箱，我的邮箱是«email|fengzl_1988(at)yeah.net»，电话«mobile|0086 136 7182 9035»。",
    "工友«name|夏侯健»在车间被机器轧伤，现在在第六人民医院，病案号«hospital_no|00451287»，老板叫我们别乱说。",
    # 法院 / 仲裁
    "上海市松江区人民法院\n民事判决书\n«case_no|（2025）沪0117民初8812号»\n原告：«name|端木泽»，男，«date|1986年4月2日»出生，住«address|松江区九亭镇九新公路339号A座2003室»。",
    "申请人«name|姚海燕»与被申请人上海恒通汽车销售服务有限公司劳动争议一案，本委作出«case_no|沪劳人仲（2025）办字第1877号»裁决书。",
    "被告«name|奚亮»，男，香港特别行政区居民，港澳居民来往内地通行证号码«permit|H0123456789»，现住香港九龙。",
    "被执行人«name|苏锦»名下小型轿车一辆（车牌«plate|沪G•K7316»，车架号«vin|lhgnezme0fsecyn11»）。",
    "原告«name|蒋诗涵»，台湾居民，台胞证号码«permit|0912345678(B)»，委托诉讼代理人«name|邱铭»，上海市某律师事务所律师。",
    "上诉人不服«case_no|〔2026〕沪01民终337号»民事裁定，申请再审，再审申请人«name|令狐萱»，联系电话«landline|021 6591 2280 转 6012»。",
    "第三人«name|格桑卓玛»，藏族，持中华人民共和国护照，号码«passport|e63318204»。",
    # 电商聊天
    "用户：收件信息改一下：«name|濮阳晨»，«mobile|159-2187 3364»，«address|崇明区陈家镇裕安社区裕鸿佳苑9号楼1201室»\n客服：好的亲，已修改",
    "用户：我是在你们店买的车载冰箱，车是«plate|沪c·J5521»，装不进后备箱，要退\n售后：亲，请提供车架号«vin|LGB 6MGXA6 DP91K5GP»我们核对车型",
    "用户：退款就退到«bank_card|6214.8382.6330.4349»，户名«name|于彤»\n售后：亲，只能原路退回哦",
    "用户：发票抬头上海康桥养老服务中心，税号«uscc|52 310117 BKJAY4NU5 H»，寄到«email|kqyl_caiwu＠aliyun．com»",
    "用户：加我扣扣«qq|2851763»吧，或者企鹅号«qq|19203847561»，旺旺上说不清楚",
    "用户：代购奶粉要清关，我护照是«passport|E 6209 1387»，拼音«name|SU WANRONG»",
    "客服：亲，您预留的号码«mobile|+86-189-3047-2261»打不通，麻烦确认一下\n用户：换这个«landline|０２１－３８７１７４８２»，白天打",
)

HANDWRITTEN: list[tuple[str, list[Span]]] = [marked(t) for t in _HANDWRITTEN]

CLEAN: list[str] = [
    *GENERATED_CLEAN,
    "上海市第一中级人民法院位于虹桥路1200号附近，开庭请提前半小时到。",
    "根据《上海市住宅物业管理规定》第七十二条，业主不得擅自改变房屋用途。",
    "张江镇和川沙镇的社区事务受理中心周六上午也办公。",
    "12345热线工单办结率本月达到百分之九十八。",
    "请于工作日上午9:00至11:30到街道司法所领取调解协议书。",
    "案件编号和收件编号以短信为准，请勿轻信陌生来电。",
    "王某某与李某某民间借贷纠纷一案已调解结案。",
    "仲裁委员会地址在长宁区，乘地铁2号线到威宁路站。",
    "本商品满299元包邮，偏远地区除外。",
    "会议定在下午两点，地点在居委会三楼会议室。",
    "《劳动合同法》第四十七条规定了经济补偿的计算标准。",
    "上海市人力资源和社会保障局官网可以查询最低工资标准。",
    "用户：这个充电宝能带上飞机吗？",
    "物业费按每平方米每月2.5元收取，车位管理费另计。",
    "调解员：我们先听听双方的意见，一个一个讲。",
    "原告于庭审中撤回了第二项诉讼请求。",
    "我在七宝老街那边上班，每天坐地铁9号线。",
    "本小区共有28栋楼，1号楼至6号楼为高层。",
    "欠薪问题请拨打劳动保障监察举报电话。",
    "快递柜取件码已经发你了，记得24小时内取。",
    "浦东新区人民调解协会今年共受理纠纷三千余件。",
    "第二十三条规定，个人信息的处理应当取得个人同意。",
]
