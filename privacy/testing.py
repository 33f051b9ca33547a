"""Generators for tests and benchmarks: valid identifiers, a labelled PII corpus in
dispute phrasing, and full application / case records.

Uses Faker's ``zh_CN`` provider (a test dependency), imported only when called.
Everything is seeded, so a corpus is the same on every run.
"""

from __future__ import annotations

import random
import re
import string
from datetime import date, timedelta
from typing import Any

from privacy.pii import Span, is_resident_id, is_uscc
from schemas.identity import luhn_check_digit, uscc_check_character, vin_check_character

__all__ = [
    "DISTRICTS",
    "labelled_corpus",
    "make_faker",
    "shanghai_address",
    "valid_bank_card",
    "valid_old_resident_id",
    "valid_uscc",
]

DISTRICTS = {
    "310101": "黄浦区",
    "310104": "徐汇区",
    "310105": "长宁区",
    "310106": "静安区",
    "310107": "普陀区",
    "310109": "虹口区",
    "310110": "杨浦区",
    "310112": "闵行区",
    "310113": "宝山区",
    "310114": "嘉定区",
    "310115": "浦东新区",
    "310116": "金山区",
    "310117": "松江区",
    "310118": "青浦区",
    "310120": "奉贤区",
    "310151": "崇明区",
}
_ROADS = "漕溪北 肇嘉浜 天钥桥 衡山 淮海中 南京西 延安西 长寿 四川北 控江 七莘 祖冲之 张江 "
_ROADS += "沪太 博乐 人民北 江宁 虹桥 曹杨 武宁 中山北 龙华中 宛平南 零陵 宜山 吴中 古北"
_TOWNS = "七宝 莘庄 张江 川沙 周浦 江桥 泗泾 朱家角 南桥 城桥 新河 堡镇 罗店 顾村 安亭 马陆"


def make_faker(seed: int) -> Any:
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    return fake


def valid_uscc(rng: random.Random) -> str:
    head = rng.choice(["91", "92", "93", "11", "12", "51", "52", "Y1"])
    region = rng.choice(list(DISTRICTS))
    body = "".join(rng.choice(string.digits + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    s = head + region + body
    code = s + uscc_check_character(s)
    assert is_uscc(code)
    return code


def valid_old_resident_id(rng: random.Random) -> str:
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 59))
    code = f"{rng.choice(list(DISTRICTS))}{born:%y%m%d}{rng.randrange(1000):03d}"
    assert is_resident_id(code)
    return code


def valid_bank_card(rng: random.Random, length: int = 19) -> str:
    body = "62" + "".join(rng.choice(string.digits) for _ in range(length - 3))
    return body + luhn_check_digit(body)


def shanghai_address(rng: random.Random) -> str:
    district = rng.choice(list(DISTRICTS.values()))
    road = rng.choice(_ROADS.split())
    n = rng.randrange(1, 2000)
    form = rng.randrange(5)
    if form == 0:
        return (
            f"上海市{district}{road}路{n}号{rng.randrange(1, 30)}号楼{rng.randrange(101, 2600)}室"
        )
    if form == 1:
        return f"{district}{road}路{n}弄{rng.randrange(1, 80)}号{rng.randrange(101, 1800)}室"
    if form == 2:
        town = rng.choice(_TOWNS.split())
        return f"{district}{town}镇{rng.choice(_TOWNS.split())}村{rng.randrange(1, 20)}组{n}号"
    if form == 3:
        return f"{road}路{n}号"
    return f"上海市{district}{road}路{n}号"


def _phone_variant(rng: random.Random, digits: str) -> str:
    form = rng.randrange(6)
    if form == 1:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if form == 2:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if form == 3:
        return f"+86 {digits}"
    if form == 4:
        return f"+86-{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    return digits


def _date_variant(rng: random.Random) -> str:
    d = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 1200))
    form = rng.randrange(6)
    if form == 0:
        return f"{d.year}年{d.month}月{d.day}日"
    if form == 1:
        return d.isoformat()
    if form == 2:
        return f"{d.month}月{d.day}日"
    if form == 3:
        return f"{d.year}年{d.month}月"
    if form == 4:
        return f"{d.year}/{d.month}/{d.day}"
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def _amount_variant(rng: random.Random) -> str:
    value = rng.choice(
        [rng.randrange(50, 1000), rng.randrange(1000, 100000), rng.randrange(10**5, 10**7)]
    )
    form = rng.randrange(6)
    if form == 0:
        return f"{value}元"
    if form == 1:
        return f"{value:,}元"
    if form == 2:
        return f"{value / 10000:.1f}万元"
    if form == 3:
        return f"￥{value}"
    if form == 4:
        return f"人民币{value}.00元"
    return rng.choice(["三万元", "五千元", "两万元", "十二万元", "八百元", "一万五千元"])


def _plate(rng: random.Random, fake: Any) -> str:
    form = rng.randrange(4)
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    if form == 0:
        return "沪" + rng.choice(letters) + "".join(rng.choice(string.digits) for _ in range(5))
    if form == 1:
        return "沪A" + rng.choice("DF") + "".join(rng.choice(string.digits) for _ in range(5))
    if form == 2:
        return "沪B·" + "".join(rng.choice(string.digits) for _ in range(5))
    return str(fake.license_plate())


_TEMPLATES = (
    "申请人{name}，身份证号{id}，联系电话{mobile}，住{address}。{date}在{address}与被申请人"
    "{name}发生纠纷，要求赔偿{amount}。",
    "被申请人{company}（统一社会信用代码{uscc}），法定代表人{name}，联系电话{landline}。",
    "{date}，申请人驾驶车牌号为{plate}的小型轿车在{address}附近与{name}驾驶的{plate}发生碰撞，"
    "维修费用共计{amount}。",
    "我和{name}是邻居，他家住{address}，{date}晚上装修噪音很大，多次沟通无果。",
    "申请人{name}于{date}向被申请人{name}借款{amount}，约定{date}前归还，至今未还。"
    "还款请汇入申请人银行卡{card}。",
    "{name}女士称其在{company}购买的商品存在质量问题，商家拒绝退款，联系邮箱{email}。",
    "联系人：{name}，手机：{mobile}，邮箱：{email}",
    "劳动者{name}（身份证号码：{id}）自{date}起在{company}工作，月工资{amount}，"
    "公司拖欠工资共计{amount}。",
    "经调解，{name}同意于{date}前一次性支付{name}{amount}，双方再无其他纠纷。",
    "患者{name}于{date}在医院就诊，家属{name}认为医院存在过错，要求赔偿{amount}。",
    "{name}，男，汉族，住{address}，公民身份号码{id}。",
    "委托代理人{name}，{company}员工，电话{mobile}。",
    "房东{name}收取押金{amount}后拒不退还，租客{name}多次拨打{mobile}未果。",
    "申请人与{name}于{date}签订租赁合同，约定租金每月{amount}，房屋位于{address}。",
    "申请人持有的旧身份证号码为{id15}，现已换领新证。",
    "经查，{name}名下车辆{plate}于{date}在{address}违章停放，影响通行。",
    "请联系调解员{name}，办公电话{landline}，或发送邮件至{email}。",
    "我叫{name}，手机号是{mobile}，{date}在网上购买的家电一直没有发货。",
    "{date}下午，{name}在{address}的店铺内与顾客{name}发生口角。",
    "该公司（信用代码：{uscc}）拖欠货款{amount}，对账单日期为{date}。",
    "申请人{name}、{name}与被申请人{company}因物业服务费发生争议。",
    "丈夫{name}与妻子{name}因离婚财产分割发生纠纷，涉及房产位于{address}，存款约{amount}。",
    "{surname}先生表示愿意调解，请于{date}到场，联系电话{landline}。",
    "{name}称已通过银行卡{card}向对方转账{amount}，对方否认收到。",
    "被申请人{name}经营的门店位于{address}，营业执照代码为{uscc}。",
    "申请人的邮箱是{email}，备用电话{mobile}，请勿泄露。",
    "交警认定{name}负事故全部责任，其驾驶的车辆号牌为{plate}。",
    "当事人{rare}，证件号{id_grouped}，手机{mobile_grouped}，现居{village}。",
    "麻烦转告{rare}，我电话是{mobile_grouped}，邮件{email_fw}也能收到。",
    "{minority}女士反映，其租住的{village}房屋漏水，房东{rare}不予维修。",
    "外籍当事人{compound}，护照号码：{passport}，代理人{rare}。",
    "港澳当事人{name}，回乡证{permit_hm}，内地联系电话{landline_ext}。",
    "台湾同胞{rare}持台胞证，号码为{permit_tw}，暂住{village}。",
    "我加了对方微信，微信号是{wechat}，他一直不回；他的扣扣是{qq}。",
    "该案此前已经法院判决，案号为{case_no}，{rare}不服。",
    "事故车辆车架号：{vin}，车主{minority}。",
    "患者{rare}的病历号：{hospital_no}，主治医生{compound}。",
    "款项请转入{rare}名下卡号{card_grouped}，开户人{rare}。",
    "{compound}（{minority}的丈夫）住{village}，座机{landline_ext}。",
    "申请人持往来港澳通行证（证号{permit_c}）出境，现委托{rare}办理。",
    "{rare}称，{minority}于{date}借走{amount}，约定一个月归还。",
)
_SLOT = re.compile(r"\{(\w+)\}")


def labelled_corpus(n: int, seed: int = 20260305) -> list[tuple[str, list[Span]]]:
    """``n`` documents in dispute phrasing with their gold PII spans."""
    rng = random.Random(seed)
    fake = make_faker(seed)
    docs: list[tuple[str, list[Span]]] = []
    for i in range(n):
        template = _TEMPLATES[i % len(_TEMPLATES)]
        parts: list[str] = []
        gold: list[Span] = []
        pos = 0
        length = 0
        for m in _SLOT.finditer(template):
            lit = template[pos : m.start()]
            parts.append(lit)
            length += len(lit)
            value, kind = _fill(m.group(1), rng, fake)
            if kind:
                gold.append(Span(length, length + len(value), kind, value))
            parts.append(value)
            length += len(value)
            pos = m.end()
        parts.append(template[pos:])
        docs.append(("".join(parts), gold))
    return docs


_RARE_SURNAMES = "闫肖付岳冼禤亓仉缑訾蹇隗逄郗茆佴晁郏麴靳燕艾冀巩沃"
_COMPOUND_SURNAMES = [
    "欧阳",
    "司马",
    "上官",
    "皇甫",
    "令狐",
    "诸葛",
    "东方",
    "慕容",
    "夏侯",
    "西门",
]
_GIVEN_CHARS = "子轩浩然梓涵一诺欣怡宇航雨桐俊杰思远紫萱博文佳琪天佑梦瑶志强秀英德福"
_MINORITY_NAMES = (
    "艾尼瓦尔·买买提",
    "迪丽娜尔·吾买尔",
    "图尔荪·阿依",
    "索朗·次仁",
    "拉巴·卓嘎",
    "吐尔洪·阿不力孜",
    "帕提古丽·艾山",
    "尼玛·扎西",
    "巴特尔·朝鲁",
    "乌兰·托娅",
)
_VILLAGE_TOWNS = (
    ("金山区", "吕巷镇", "夹漏村"),
    ("奉贤区", "柘林镇", "迎龙村"),
    ("崇明区", "三星镇", "海桥村"),
    ("青浦区", "金泽镇", "莲湖村"),
    ("松江区", "叶榭镇", "八字桥村"),
    ("浦东新区", "宣桥镇", "腰路村"),
)


def _village(rng: random.Random) -> str:
    district, town, village = rng.choice(_VILLAGE_TOWNS)
    form = rng.randrange(3)
    if form == 0:
        return f"{district}{town}{village}"
    if form == 1:
        return f"{district}{town}{village}{rng.randrange(1, 12)}组{rng.randrange(1, 400)}号"
    return f"上海市{district}{town}{village}{rng.randrange(1, 12)}队"


def _grouped(digits: str, rng: random.Random, sizes: tuple[int, ...]) -> str:
    sep = rng.choice([" ", "-", "."])
    out, pos = [], 0
    for size in sizes:
        out.append(digits[pos : pos + size])
        pos += size
    if pos < len(digits):
        out.append(digits[pos:])
    return sep.join(x for x in out if x)


_FULL_WIDTH = str.maketrans("0123456789@-", "０１２３４５６７８９＠－")


def _fill(slot: str, rng: random.Random, fake: Any) -> tuple[str, str | None]:
    if slot == "rare":
        return rng.choice(_RARE_SURNAMES) + "".join(
            rng.choice(_GIVEN_CHARS) for _ in range(rng.choice([1, 2]))
        ), "name"
    if slot == "compound":
        return rng.choice(_COMPOUND_SURNAMES) + "".join(
            rng.choice(_GIVEN_CHARS) for _ in range(rng.choice([1, 2]))
        ), "name"
    if slot == "minority":
        return rng.choice(_MINORITY_NAMES), "name"
    if slot == "village":
        return _village(rng), "address"
    if slot == "id_grouped":
        ssn = str(fake.ssn())
        if rng.random() < 0.3:
            return ssn.translate(_FULL_WIDTH), "resident_id"
        return _grouped(
            ssn, rng, rng.choice([(6, 8, 4), (4, 4, 4, 4), (3, 3, 4, 4, 4)])
        ), "resident_id"
    if slot == "mobile_grouped":
        m = str(fake.phone_number())
        form = rng.randrange(4)
        if form == 0:
            return m.translate(_FULL_WIDTH), "mobile"
        if form == 1:
            return "0086-" + m, "mobile"
        return _grouped(m, rng, rng.choice([(3, 3, 5), (3, 4, 4), (4, 3, 4)])), "mobile"
    if slot == "landline_ext":
        area = rng.choice(["021", "0512", "0755", "020"])
        local = f"{rng.randrange(2, 10)}{rng.randrange(10**6, 10**7)}"
        form = rng.randrange(4)
        if form == 0:
            return f"{area} {local[:4]} {local[4:]}", "landline"
        if form == 1:
            return f"{area}-{local} 分机{rng.randrange(1, 999)}", "landline"
        if form == 2:
            return f"({area}) {local}-{rng.randrange(1, 99)}", "landline"
        return f"{area}{local}".translate(_FULL_WIDTH), "landline"
    if slot == "email_fw":
        return str(fake.email()).replace("@", "＠"), "email"
    if slot == "passport":
        return rng.choice(["E", "G", "EH"]) + str(rng.randrange(10**6, 10**7)) + rng.choice(
            ["1", "23"]
        ), "passport"
    if slot == "permit_hm":
        return rng.choice("HM") + str(rng.randrange(10**7, 10**8)), "permit"
    if slot == "permit_tw":
        return str(rng.randrange(10**7, 10**8)), "permit"
    if slot == "permit_c":
        return "C" + rng.choice(["", "D"]) + str(rng.randrange(10**6, 10**7)) + "5", "permit"
    if slot == "wechat":
        return rng.choice(["abc", "Tom", "li", "sunny"]) + rng.choice(["_", ""]) + str(
            rng.randrange(1000, 10**6)
        ), "wechat"
    if slot == "qq":
        return str(rng.randrange(10**5, 10**9)), "qq"
    if slot == "case_no":
        year = rng.choice([2023, 2024, 2025])
        return rng.choice(
            [
                f"({year})沪0106民初{rng.randrange(1, 9999)}号",
                f"（{year}）沪02民终{rng.randrange(1, 999)}号",
                f"沪仲（{year}）字第{rng.randrange(1, 999)}号",
            ]
        ), "case_no"
    if slot == "vin":
        chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
        body = list("LFV" + "".join(rng.choice(chars) for _ in range(14)))
        body[8] = vin_check_character("".join(body))
        return "".join(body), "vin"
    if slot == "hospital_no":
        return rng.choice(["", "BA", "H"]) + str(rng.randrange(10**5, 10**9)), "hospital_no"
    if slot == "card_grouped":
        card = valid_bank_card(rng, rng.choice([16, 19]))
        return _grouped(card, rng, (4, 4, 4, 4)), "bank_card"
    if slot == "name":
        if rng.random() < 0.08:
            return rng.choice(["欧阳", "司马", "上官", "诸葛"]) + fake.first_name(), "name"
        return str(fake.name()), "name"
    if slot == "surname":
        return str(fake.last_name()), "name"
    if slot == "id":
        ssn = str(fake.ssn())
        assert is_resident_id(ssn), ssn
        return (ssn.lower() if rng.random() < 0.05 else ssn), "resident_id"
    if slot == "id15":
        return valid_old_resident_id(rng), "resident_id"
    if slot == "uscc":
        return valid_uscc(rng), "uscc"
    if slot == "mobile":
        return _phone_variant(rng, str(fake.phone_number())), "mobile"
    if slot == "landline":
        area = rng.choice(["021", "0571", "025", "010"])
        number = f"{area}-{rng.randrange(2, 10)}{rng.randrange(10**6, 10**7)}"
        if rng.random() < 0.3:
            number = f"({number.replace('-', ')')}"
        return number, "landline"
    if slot == "email":
        return str(fake.email()), "email"
    if slot == "card":
        if rng.random() < 0.5:
            return str(fake.credit_card_number()), "bank_card"
        card = valid_bank_card(rng, rng.choice([16, 19]))
        if rng.random() < 0.3:
            card = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
        return card, "bank_card"
    if slot == "plate":
        return _plate(rng, fake), "plate"
    if slot == "address":
        if rng.random() < 0.2:
            return str(fake.address()), "address"
        return shanghai_address(rng), "address"
    if slot == "date":
        return _date_variant(rng), "date"
    if slot == "amount":
        return _amount_variant(rng), "amount"
    if slot == "company":
        return str(fake.company()), None
    raise KeyError(slot)
