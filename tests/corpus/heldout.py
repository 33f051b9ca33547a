"""The HELD-OUT corpus of personal data in dispute text: never used to tune the scrubber.

Written before the scrubber's rules were extended and kept apart from the tuning
generators (`privacy.testing.labelled_corpus`, family A): other templates, other genres
(WeChat-style messages, formal 申请书, institution notes, rejection reasons, remedies),
other value pools (rare and compound surnames, minority names with ·, village
addresses) and other written forms of every identifier (IDs in groups, with dashes or in
full-width digits; phones in every grouping, +86/0086, full-width; landlines with area
code and extension; ＠ e-mails; cards in groups; new-energy plates; passports; HK, Macau
and Taiwan permits; WeChat and QQ ids; court and arbitration case numbers; VINs;
hospital numbers). `HANDWRITTEN` are examples of each genre written by hand, labelled.

`heldout_corpus(n, seed)` answers `(text, [Span])`; the spans mark every value that must
be scrubbed (kinds as in `KINDS`). Dates and amounts are labelled too, as `date` and
`amount`, so that precision is counted fairly; they are not recall targets.
"""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from datetime import date, timedelta

from privacy.pii import Span
from schemas import identity

IDENTIFIERS = (
    "resident_id",
    "uscc",
    "mobile",
    "landline",
    "email",
    "bank_card",
    "plate",
    "passport",
    "permit",
    "wechat",
    "qq",
    "case_no",
    "vin",
    "hospital_no",
)
KINDS = (*IDENTIFIERS, "name", "address", "date", "amount")

_FW = str.maketrans("0123456789-", "０１２３４５６７８９－")

# Surnames the tuning generators rarely or never produce, compound surnames, and given
# names of other shapes; minority names written with the middle dot.
_RARE = "闫肖付岳冼禤亓仉缑訾蹇隗逄郗璩卞茆昝仇佴晁郏麴靳燕艾冀"
_COMMON = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯董萧程曹袁邓许傅沈曾彭吕"
_COMPOUND = ["欧阳", "司马", "上官", "皇甫", "令狐", "诸葛", "东方", "慕容", "尉迟", "端木", "公孙"]
_GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志宏俊婷雪琳晓燕春梅海波"
_MINORITY = [
    "买买提·艾力",
    "阿依古丽·吐尔逊",
    "热依拉·阿不都",
    "格桑·卓玛",
    "扎西·多吉",
    "古丽米拉·买买提",
    "艾克拜尔·吾拉木",
    "次仁·央宗",
    "努尔兰·哈力克",
    "阿布都·热合曼",
]
_DISTRICTS = [
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
]
_TOWNS = [
    "廊下镇",
    "竖新镇",
    "青村镇",
    "泗泾镇",
    "华漕镇",
    "罗泾镇",
    "外冈镇",
    "练塘镇",
    "新场镇",
    "庄行镇",
]
_VILLAGES = [
    "中丰村",
    "仙桥村",
    "北唐村",
    "古楼村",
    "许浦村",
    "花红村",
    "徐姚村",
    "东厍村",
    "新南村",
    "吴房村",
]
_ROADS = [
    "号文路",
    "碧波路",
    "古楼公路",
    "沪松公路",
    "浦星公路",
    "友谊路",
    "新闸路",
    "江场西路",
    "长阳路",
    "武夷路",
    "金沙江路",
    "龙吴路",
]
_PROVINCES = [
    ("安徽省阜阳市颍上县", "谢桥镇王庄村"),
    ("江苏省盐城市射阳县", "合德镇新港村"),
    ("河南省周口市郸城县", "宁平镇大李庄村"),
    ("四川省达州市渠县", "临巴镇石岭村"),
]
_COMPANIES = [
    "上海巨丰装饰工程有限公司",
    "上海乐享健身管理有限公司",
    "上海品悦餐饮管理有限公司",
    "上海安程物流有限公司",
    "上海恒信小额贷款有限公司",
]


@dataclass(frozen=True)
class Handwritten:
    genre: str
    text: str
    values: tuple[tuple[str, str], ...]  # (kind, value) that must not survive scrubbing


# ---------------------------------------------------------------------------------
# Values in the held-out forms
# ---------------------------------------------------------------------------------
#: GB 11643 check character: the project's one identity module (schemas.identity).
_id_check = identity.resident_id_check_character


def _resident_id(rng: random.Random) -> str:
    area = rng.choice(["341221", "320923", "411625", "511725", "310115", "310230", "130102"])
    born = date(1945, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
    body = f"{area}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + _id_check(body)


def _id_form(rng: random.Random, ident: str) -> str:
    form = rng.randrange(7)
    if form == 0:
        return f"{ident[:6]}-{ident[6:14]}-{ident[14:]}"
    if form == 1:
        return f"{ident[:6]} {ident[6:14]} {ident[14:]}"
    if form == 2:
        return ident.translate(_FW)
    if form == 3:
        return " ".join(ident[i : i + 4] for i in range(0, 18, 4))
    if form == 4:
        return ident[:17] + ident[17].lower()
    if form == 5:
        return f"{ident[:3]} {ident[3:6]} {ident[6:10]} {ident[10:14]} {ident[14:]}"
    return ident


def _mobile(rng: random.Random) -> str:
    return rng.choice(["139", "159", "186", "177", "150", "133", "199", "166"]) + "".join(
        rng.choice(string.digits) for _ in range(8)
    )


def _mobile_form(rng: random.Random, m: str) -> str:
    form = rng.randrange(10)
    if form == 0:
        return f"{m[:3]} {m[3:6]} {m[6:]}"  # 159 945 42372
    if form == 1:
        return f"{m[:3]}.{m[3:7]}.{m[7:]}"
    if form == 2:
        return m.translate(_FW)
    if form == 3:
        return f"0086 {m}"
    if form == 4:
        return f"+86 {m[:3]} {m[3:7]} {m[7:]}"
    if form == 5:
        return f"(+86){m}"
    if form == 6:
        return f"{m[:4]} {m[4:7]} {m[7:]}"
    if form == 7:
        return f"{m[:3]}-{m[3:7]}-{m[7:]}"
    if form == 8:
        return f"+86-{m}"
    return m


def _landline(rng: random.Random) -> str:
    area = rng.choice(["021", "0512", "0571", "010", "025", "0551"])
    number = f"{rng.randrange(2, 10)}{rng.randrange(10**6, 10**7)}"
    form = rng.randrange(8)
    if form == 0:
        return f"{area}-{number[:4]} {number[4:]}"  # 021-3871 7482
    if form == 1:
        return f"{area} {number}"
    if form == 2:
        return f"({area}){number[:4]}-{number[4:]}"
    if form == 3:
        return f"{area}-{number}转{rng.randrange(100, 9999)}"
    if form == 4:
        return f"{area}-{number}-{rng.randrange(10, 999)}"
    if form == 5:
        return f"{area}-{number}".translate(_FW)
    if form == 6:
        return f"（{area}）{number}"
    return f"+86 {area[1:]} {number}"


def _email(rng: random.Random) -> str:
    user = rng.choice(["zhang.wei", "lily_88", "wangfang1990", "Chen.Jun", "xm-2020", "hk_lee"])
    user += str(rng.randrange(100))
    domain = rng.choice(
        ["163.com", "qq.com", "sina.com.cn", "126.com", "outlook.com", "foxmail.com"]
    )
    at = "＠" if rng.random() < 0.5 else "@"
    return f"{user}{at}{domain}"


def _luhn_complete(body: str) -> str:
    return body + identity.luhn_check_digit(body)


def _card(rng: random.Random) -> str:
    length = rng.choice([16, 19])
    card = _luhn_complete(
        rng.choice(["6222", "6217", "6228", "6236", "4367"])
        + "".join(rng.choice(string.digits) for _ in range(length - 5))
    )
    form = rng.randrange(4)
    if form == 0:
        return " ".join(card[i : i + 4] for i in range(0, length, 4))
    if form == 1:
        return "-".join(card[i : i + 4] for i in range(0, length, 4))
    if form == 2:
        return f"{card[:6]} {card[6:]}"
    return card


def _plate(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    province = rng.choice("沪苏浙皖京粤")
    form = rng.randrange(5)
    digits = "".join(rng.choice(string.digits) for _ in range(5))
    if form == 0:
        return f"{province}{rng.choice(letters)}{rng.choice('DF')}{digits}"  # new energy, small
    if form == 1:
        return f"{province}{rng.choice(letters)}{digits}{rng.choice('DF')}"  # new energy, large
    if form == 2:
        return f"{province}{rng.choice(letters)}·{digits}"
    if form == 3:
        mixed = "".join(rng.choice(string.digits + "ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5))
        return f"{province}{rng.choice(letters)}-{mixed}"
    return f"{province}{rng.choice(letters)}{digits}"


def _passport(rng: random.Random) -> str:
    head = rng.choice(["E", "G", "EA", "EB", "P"])
    return head + "".join(rng.choice(string.digits) for _ in range(9 - len(head)))


def _permit(rng: random.Random) -> tuple[str, str]:
    """(document words, number): 回乡证, 往来港澳通行证, 台胞证, 港澳台居民居住证."""
    form = rng.randrange(5)
    if form == 0:
        return "港澳居民来往内地通行证", rng.choice("HM") + "".join(
            rng.choice(string.digits) for _ in range(rng.choice([8, 10]))
        )
    if form == 1:
        return "往来港澳通行证", "C" + rng.choice(["", "A", "B"]) + "".join(
            rng.choice(string.digits) for _ in range(7)
        ) + rng.choice(["", "1"])
    if form == 2:
        return "台湾居民来往大陆通行证", "".join(rng.choice(string.digits) for _ in range(8))
    if form == 3:
        return "往来台湾通行证", "L" + "".join(rng.choice(string.digits) for _ in range(8))
    body = f"{rng.choice(['810000', '820000', '830000'])}{1960 + rng.randrange(40)}0{rng.randrange(1, 10)}1{rng.randrange(10)}{rng.randrange(1000):03d}"
    return "港澳台居民居住证", body + _id_check(body)


def _wechat(rng: random.Random) -> str:
    form = rng.randrange(3)
    if form == 0:
        return "wxid_" + "".join(
            rng.choice(string.ascii_lowercase + string.digits) for _ in range(12)
        )
    stem = rng.choice(["zhangsan", "Lily", "xiaoming", "ahua", "Kevin", "mumu"])
    return stem + rng.choice(["_", "-", ""]) + str(rng.randrange(10, 99999))


def _qq(rng: random.Random) -> str:
    return str(rng.randrange(10**5, 10**10))


def _case_no(rng: random.Random) -> str:
    year = rng.choice([2024, 2025, 2026])
    form = rng.randrange(5)
    court = rng.choice(["0104", "0115", "0112", "01", "02", "0101"])
    if form == 0:
        return f"（{year}）沪{court}民初{rng.randrange(1, 99999)}号"
    if form == 1:
        return f"({year})沪{court}民终{rng.randrange(1, 9999)}号"
    if form == 2:
        return f"沪劳人仲（{year}）办字第{rng.randrange(1, 9999)}号"
    if form == 3:
        return f"（{year}）沪仲案字第{rng.randrange(1, 9999):04d}号"
    return f"({year})沪{court}执{rng.randrange(1, 9999)}号"


def _vin(rng: random.Random) -> str:
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    vin = list(
        rng.choice(["LSV", "LFV", "LGB", "LVS", "LHG"])
        + "".join(rng.choice(chars) for _ in range(14))
    )
    vin[8] = identity.vin_check_character("".join(vin))
    return "".join(vin)


def _hospital_no(rng: random.Random) -> str:
    form = rng.randrange(3)
    if form == 0:
        return "ZY" + "".join(rng.choice(string.digits) for _ in range(8))
    if form == 1:
        return "".join(rng.choice(string.digits) for _ in range(7))
    return "MZ" + "".join(rng.choice(string.digits) for _ in range(10))


def _uscc(rng: random.Random) -> str:
    alphabet = identity.USCC_ALPHABET
    region = rng.choice(["310104", "310115", "310112", "320583", "330106"])  # 6 digits, as issued
    body = (
        rng.choice(["91", "92", "93", "12", "52"])
        + region
        + "".join(rng.choice(alphabet) for _ in range(9))
    )
    return body + identity.uscc_check_character(body)


def _name(rng: random.Random) -> str:
    form = rng.random()
    if form < 0.2:
        return rng.choice(_MINORITY)
    if form < 0.35:
        return rng.choice(_COMPOUND) + "".join(
            rng.choice(_GIVEN) for _ in range(rng.choice([1, 2]))
        )
    if form < 0.6:
        return rng.choice(_RARE) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice([1, 2])))
    return rng.choice(_COMMON) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice([1, 2])))


def _address(rng: random.Random) -> str:
    form = rng.randrange(6)
    district = rng.choice(_DISTRICTS)
    if form == 0:
        return f"{district}{rng.choice(_TOWNS)}{rng.choice(_VILLAGES)}{rng.randrange(1, 15)}组{rng.randrange(1, 300)}号"
    if form == 1:
        return f"{district}{rng.choice(_TOWNS)}{rng.choice(_VILLAGES)}"
    if form == 2:
        return f"{district}{rng.choice(_ROADS)}{rng.randrange(1, 2000)}弄{rng.randrange(1, 100)}号{rng.randrange(101, 2302)}室"
    if form == 3:
        head, village = rng.choice(_PROVINCES)
        return f"{head}{village}{rng.randrange(1, 12)}组"
    if form == 4:
        return (
            f"上海市{district}{rng.choice(_ROADS)}{rng.randrange(1, 999)}号{rng.randrange(1, 30)}楼"
        )
    return f"{rng.choice(_ROADS)}{rng.randrange(1, 999)}弄{rng.randrange(1, 60)}号{rng.randrange(101, 1902)}室"


def _date(rng: random.Random) -> str:
    d = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 1000))
    return rng.choice([f"{d.year}年{d.month}月{d.day}日", f"{d.month}月{d.day}号", f"{d:%Y.%m.%d}"])


def _amount(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{rng.randrange(300, 90000)}元",
            f"{rng.randrange(1, 90)}万元",
            f"人民币{rng.randrange(1000, 500000)}元",
            "两千八百元",
            "八千块",
        ]
    )


# ---------------------------------------------------------------------------------
# Templates by genre ({kind} slots; {permit_doc} is filled together with {permit})
# ---------------------------------------------------------------------------------
TEMPLATES: dict[str, tuple[str, ...]] = {
    "wechat": (
        "在吗？我是{name}，电话{mobile}，上次说的退款到现在还没到账哦",
        "老师您好，我微信号{wechat}，您加我一下，我把合同拍给您",
        "qq也行：{qq}，晚上都在线的～",
        "我的卡号是{bank_card}，麻烦让他们直接打这个卡上",
        "车是{plate}，就停在{address}楼下被刮的",
        "我邮箱 {email} ，材料发这里就行，谢谢啦",
        "我老公{name}的手机打不通，你打我这个吧{mobile}",
        "房东叫{name}，住{address}，他电话{landline}",
        "发你身份证号：{resident_id}，名字{name}",
        "我是香港过来的，回乡证号{permit}，之前跟{name}签的租约",
    ),
    "petition": (
        "申请人：{name}，女，汉族，{date}出生，公民身份号码：{resident_id}，住{address}，联系电话：{mobile}。",
        "被申请人：{company}，统一社会信用代码：{uscc}，住所地{address}，法定代表人：{name}，电话{landline}。",
        "申请事项：请求被申请人返还押金{amount}。事实与理由：申请人与被申请人{name}于{date}签订房屋租赁合同……",
        "申请人{name}（护照号码{passport}）系外籍人士，委托代理人{name}，联系方式{mobile}。",
        "申请人持{permit_doc}，证件号码{permit}，现居{address}。",
        "被申请人{name}驾驶车辆（号牌{plate}，车架号{vin}）与申请人发生碰撞。",
        "申请人在{company}工作期间受伤，住院号{hospital_no}，医疗费共计{amount}。",
        "此前双方已经法院处理，案号{case_no}，现申请执行和解。",
        "申请人：{name}，身份证{resident_id}，收款账户{bank_card}，开户行上海农商银行。",
    ),
    "note": (
        "调解员电话联系{name}（{mobile}），其表示下周来中心面谈。",
        "{date}上午，被申请人{name}到场，称已向{name}转账{amount}，对方否认。",
        "当事人提供的病历显示门诊号{hospital_no}，就诊于本区中心医院。",
        "经核实，申请人另有仲裁案件{case_no}正在审理。",
        "联系被申请人未果，拨打{landline}无人接听，已发邮件至{email}。",
        "申请人要求通过微信{wechat}沟通，不便接听电话。",
        "{name}现住{address}，联系人{name}，电话{mobile}。",
        "双方当事人{name}与{name}同意于{date}再次调解。",
    ),
    "reason": (
        "经查，{name}与被申请人的纠纷已由法院受理（案号{case_no}），依法不予受理。",
        "申请人{name}提供的联系电话{mobile}无法接通，材料不全，不予受理。",
        "被申请人{name}明确拒绝调解，其代理人电话{landline}。",
        "该纠纷涉及{address}的宅基地权属，不属于本委员会受理范围。",
        "申请人（身份证号{resident_id}）重复申请，前次已调解完毕。",
    ),
    "remedy": (
        "{name}可向{address}所在地人民法院起诉，或拨打{landline}咨询法律援助。",
        "如对处理结果不服，{name}可申请劳动仲裁，联系电话{mobile}。",
        "请{name}携带身份证{resident_id}至区法律援助中心申请法律援助。",
        "调解不成，{name}可持车辆{plate}的定损单向保险公司理赔或起诉。",
        "建议{name}通过邮箱{email}向市场监管部门投诉。",
    ),
}

_SLOT = re.compile(r"\{(\w+)\}")


def _fill(slot: str, rng: random.Random, permit: tuple[str, str]) -> tuple[str, str | None]:
    if slot == "resident_id":
        return _id_form(rng, _resident_id(rng)), "resident_id"
    if slot == "mobile":
        return _mobile_form(rng, _mobile(rng)), "mobile"
    if slot == "landline":
        return _landline(rng), "landline"
    if slot == "email":
        return _email(rng), "email"
    if slot == "bank_card":
        return _card(rng), "bank_card"
    if slot == "plate":
        return _plate(rng), "plate"
    if slot == "passport":
        return _passport(rng), "passport"
    if slot == "permit_doc":
        return permit[0], None
    if slot == "permit":
        return permit[1], "permit"
    if slot == "wechat":
        return _wechat(rng), "wechat"
    if slot == "qq":
        return _qq(rng), "qq"
    if slot == "case_no":
        return _case_no(rng), "case_no"
    if slot == "vin":
        return _vin(rng), "vin"
    if slot == "hospital_no":
        return _hospital_no(rng), "hospital_no"
    if slot == "uscc":
        return _uscc(rng), "uscc"
    if slot == "name":
        return _name(rng), "name"
    if slot == "address":
        return _address(rng), "address"
    if slot == "date":
        return _date(rng), "date"
    if slot == "amount":
        return _amount(rng), "amount"
    if slot == "company":
        return rng.choice(_COMPANIES), None
    raise KeyError(slot)


def heldout_corpus(n: int = 600, seed: int = 1123) -> list[tuple[str, list[Span]]]:
    """`n` generated documents in the held-out phrasing with their gold spans."""
    rng = random.Random(seed)
    templates = [t for group in TEMPLATES.values() for t in group]
    docs: list[tuple[str, list[Span]]] = []
    for i in range(n):
        template = templates[i % len(templates)]
        permit = _permit(rng)
        parts: list[str] = []
        gold: list[Span] = []
        length = pos = 0
        for m in _SLOT.finditer(template):
            literal = template[pos : m.start()]
            parts.append(literal)
            length += len(literal)
            value, kind = _fill(m.group(1), rng, permit)
            if kind:
                gold.append(Span(length, length + len(value), kind, value))
            parts.append(value)
            length += len(value)
            pos = m.end()
        parts.append(template[pos:])
        docs.append(("".join(parts), gold))
    return docs


def _h(genre: str, text: str, *values: tuple[str, str]) -> Handwritten:
    for _, v in values:
        assert v in text, v
    return Handwritten(genre, text, values)


#: Written by hand, one phrasing each; every listed value must be scrubbed.
HANDWRITTEN: tuple[Handwritten, ...] = (
    _h(
        "wechat",
        "亲，我是闫小雨，电话 159 945 42372，快递一直没到，商家说找顾客经理肖敏",
        ("name", "闫小雨"),
        ("mobile", "159 945 42372"),
        ("name", "肖敏"),
    ),
    _h(
        "wechat",
        "微信号 yu_xiaoyu2021 加一下呗，QQ 也可以 87654321",
        ("wechat", "yu_xiaoyu2021"),
        ("qq", "87654321"),
    ),
    _h(
        "wechat",
        "押金打到我工行卡 6222 0210 0112 3456 789 就行，户名付建军",
        ("bank_card", "6222 0210 0112 3456 789"),
        ("name", "付建军"),
    ),
    _h(
        "wechat",
        "我住崇明区竖新镇仙桥村5组18号，你们啥时候来看看",
        ("address", "崇明区竖新镇仙桥村5组18号"),
    ),
    _h(
        "wechat",
        "邮箱发我 fu.jianjun＠163.com，电话打０２１－３８７１７４８２也行",
        ("email", "fu.jianjun＠163.com"),
        ("landline", "０２１－３８７１７４８２"),
    ),
    _h(
        "petition",
        "申请人：买买提·艾力，男，维吾尔族，公民身份号码 653101-19850312-2217，住上海市闵行区华漕镇许浦村7组56号，联系电话 +86 186 2123 4567。",
        ("name", "买买提·艾力"),
        ("resident_id", "653101-19850312-2217"),
        ("address", "上海市闵行区华漕镇许浦村7组56号"),
        ("mobile", "+86 186 2123 4567"),
    ),
    _h(
        "petition",
        "被申请人：上官婉清，女，持往来港澳通行证C12345678，现住长宁区武夷路520弄3号1202室。",
        ("name", "上官婉清"),
        ("permit", "C12345678"),
        ("address", "长宁区武夷路520弄3号1202室"),
    ),
    _h(
        "petition",
        "申请人陈志宏驾驶沪AD73951号小型新能源汽车（车辆识别代号LSVAU2180N2184577）行驶至路口时被撞。",
        ("name", "陈志宏"),
        ("plate", "沪AD73951"),
        ("vin", "LSVAU2180N2184577"),
    ),
    _h(
        "petition",
        "申请人系台湾居民，台胞证号码 08123456，委托代理人冼国华律师，电话021-5888 6600转812。",
        ("permit", "08123456"),
        ("name", "冼国华"),
        ("landline", "021-5888 6600转812"),
    ),
    _h(
        "note",
        "回访：阿依古丽·吐尔逊表示已收到第一期款项，另一方当事人禤志明未接电话（0571 8765 4321）。",
        ("name", "阿依古丽·吐尔逊"),
        ("name", "禤志明"),
        ("landline", "0571 8765 4321"),
    ),
    _h(
        "note",
        "申请人出示市六院住院号ZY20260312的出院小结，护照号E98765432已复印存档。",
        ("hospital_no", "ZY20260312"),
        ("passport", "E98765432"),
    ),
    _h(
        "note",
        "据了解，该劳动争议已在沪劳人仲（2026）办字第1357号案中处理。",
        ("case_no", "沪劳人仲（2026）办字第1357号"),
    ),
    _h(
        "reason",
        "经查询，申请人欧阳子轩与被申请人之间的借款纠纷已由（2025）沪0115民初45678号案受理，本委员会不予受理。",
        ("name", "欧阳子轩"),
        ("case_no", "（2025）沪0115民初45678号"),
    ),
    _h(
        "reason",
        "多次拨打申请人提供的手机 1３９-１２３４-５６７８ 均为空号，无法核实身份。",
        ("mobile", "1３９-１２３４-５６７８"),
    ),
    _h(
        "remedy",
        "仉晓峰可向浦东新区人民法院起诉，或到浦东新区新场镇吴房村村委会申请人民调解。",
        ("name", "仉晓峰"),
        ("address", "浦东新区新场镇吴房村"),
    ),
    _h(
        "remedy",
        "请格桑·卓玛携带身份证５４０１０２１９９００１０１２３４５到法律援助中心，或加微信 flzx-shanghai 咨询。",
        ("name", "格桑·卓玛"),
        ("resident_id", "５４０１０２１９９００１０１２３４５"),
        ("wechat", "flzx-shanghai"),
    ),
)


#: Ordinary sentences of the same genres with no personal data at all: whatever the
#: scrubber replaces in them is a false positive.
PII_FREE: tuple[str, ...] = (
    "您好，请问调解大概需要多长时间？我这边周末也可以。",
    "好的收到，谢谢老师，我明天上午把材料送过来。",
    "双方当事人在调解员主持下自愿达成如下协议，各方签字后生效。",
    "申请人认为被申请人未按合同约定交付房屋，要求承担违约责任。",
    "经调解，双方同意分三期履行，每期于当月月底前支付。",
    "被申请人表示公司经营困难，希望延期支付部分工资。",
    "本委员会认为该纠纷事实清楚，适宜调解，决定受理。",
    "调解过程中双方情绪较为激动，经劝导后恢复平静。",
    "物业公司同意在一个月内完成楼道照明的维修。",
    "因对方当事人明确拒绝调解，本次调解终止。",
    "如对调解结果不满意，可以依法向人民法院提起诉讼。",
    "请携带身份证原件及相关证据材料到中心现场办理。",
    "消费者与商家就退货退款问题发生争议，平台已介入。",
    "患者家属对手术结果有异议，医院愿意协商解决。",
    "双方就宅基地边界问题多次协商未果，申请村委会调解。",
    "劳动者主张加班费，用人单位认为已按规定支付。",
    "申请人情绪稳定，同意等待对方答复后再约时间。",
    "车辆维修费用由保险公司按照定损结果赔付。",
    "该纠纷已超过申请期限，建议当事人咨询法律援助。",
    "调解员向双方释明了相关法律规定和诉讼风险。",
)
