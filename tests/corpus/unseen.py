"""The third corpus, TUNING half: Shanghai dispute texts in eight genres, labelled.

Rules may be tuned on this half; ``tests/corpus/unseen_report.py`` holds the other half
(other templates, pools and written forms) and is for reporting only. Labelling decisions
are in ``tests/corpus/unseen_kit.py``.

    corpus(n=600, seed=2611) -> [(text, [Span, ...]), ...]
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
    words,
)

# --- pools (none shared with the report half) --------------------------------------------

SURNAMES = tuple("王李张刘陈杨黄吴周徐孙朱胡郭何罗梁宋顾陆沈钱蔡")
RARE_SURNAMES = tuple("闫肖付佘尤邬栾厍")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
GIVEN = tuple(
    "建国伟芳秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玉华辉鹏飞晓红文斌宇浩凯婷雪琳欣怡梓涵轩子睿博嘉"
)
MINORITY = words(
    "阿依古丽·买买提 艾力·吐尔逊 古丽米拉·阿不都 穆罕默德·伊斯马伊力 努尔艾力·艾合买提 阿布都热西提·卡哈尔 扎西顿珠 巴特尔"
)
TITLES_BEFORE = ("老", "小")
TITLES_AFTER = ("阿姨", "师傅")

DISTRICT_TOWNS = {
    "浦东新区": ("川沙新镇", "周浦镇", "惠南镇", "三林镇"),
    "闵行区": ("七宝镇", "梅陇镇", "颛桥镇", "华漕镇"),
    "徐汇区": ("漕河泾街道", "凌云路街道"),
    "普陀区": ("长征镇", "桃浦镇"),
    "嘉定区": ("江桥镇", "南翔镇", "安亭镇"),
    "静安区": ("彭浦镇", "大宁路街道"),
}
ROADS = words(
    "华夏东路 川周公路 沪南公路 七莘路 莲花南路 龙吴路 桂林路 真南路 曹安公路 共和新路 曹杨路 金沙江路 博园路 灵岩南路"
)
VILLAGES = words("沪星 友谊 联民 新华 永丰 向阳")
ESTATES = words("锦绣江南 春申城 万科城市花园 阳光水岸 绿地世纪城")
ZONES = ("张江高科技园区", "闵行经济技术开发区", "嘉定工业区", "漕河泾开发区")
RURAL = (
    ("安徽省", "阜阳市", "临泉县", ("谭棚镇", "姜寨镇")),
    ("河南省", "周口市", "郸城县", ("汲冢镇", "宜路镇")),
    ("江苏省", "盐城市", "响水县", ("陈家港镇", "小尖镇")),
    ("四川省", "南充市", "营山县", ("回龙镇", "骆市镇")),
)
RURAL_VILLAGES = ("刘庄", "王楼", "大李", "张湾")
COMPANIES = (
    "上海申达物流有限公司",
    "上海浦江物业管理有限公司",
    "上海佳禾餐饮管理有限公司",
    "上海宏远建筑劳务有限公司",
    "上海优品电子商务有限公司",
    "上海明珠保洁服务有限公司",
)
ID_AREAS = words("310115 310112 310104 310107 341221 412726 320921 511322")
USCC_PREFIXES = ("91",)
USCC_AREAS = ("310115", "310112", "310104", "310114")
MOBILE_PREFIXES = words("138 139 135 150 158 186 177 199")
LANDLINE_AREAS = ("021", "0512")
EMAIL_LOCALS = words("zhangwei lihua xiaoyu wangjun chenlu gujiaqi")
EMAIL_DOMAINS = ("163.com", "qq.com", "126.com", "sina.com")
CARD_BINS = ("622202", "622848", "621700")
PLATE_PREFIXES = ("沪A", "沪B", "苏E", "皖K")
VIN_WMIS = ("LSV", "LFV", "LSG", "LRW")
WECHAT_STEMS = words("sunny lemon shmama ajie tiantian momo")
COURTS = words("沪0115 沪0112 沪0104 沪0107 沪0114 沪0106 沪01 沪02")
COURT_TYPES = ("民初", "民终")
ARBITRATIONS = tuple("沪浦闵徐普嘉静")

POOLS: dict[str, tuple[str, ...]] = {
    "surnames": SURNAMES + RARE_SURNAMES + COMPOUND_SURNAMES,
    "given": GIVEN,
    "minority": MINORITY,
    "titles": TITLES_BEFORE + TITLES_AFTER,
    "districts": tuple(DISTRICT_TOWNS),
    "towns": tuple(t for ts in DISTRICT_TOWNS.values() for t in ts),
    "roads": ROADS,
    "villages": VILLAGES + RURAL_VILLAGES,
    "estates": ESTATES,
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


def titled(rng: random.Random) -> Piece:
    surname = rng.choice(SURNAMES + RARE_SURNAMES)
    if rng.random() < 0.5:
        return concat(rng.choice(TITLES_BEFORE), label("name", surname))
    return concat(label("name", surname), rng.choice(TITLES_AFTER))


def resident_id(rng: random.Random) -> Piece:
    v = make_resident_id(rng, ID_AREAS)
    form = rng.randrange(4)
    if form == 0:
        return label("resident_id", v)
    if form == 1:
        return label("resident_id", f"{v[:6]} {v[6:14]} {v[14:]}")
    if form == 2:
        return label("resident_id", full_width(v))
    return label("resident_id", v[:6] + v[8:17])  # the old 15-digit number


def mobile(rng: random.Random) -> Piece:
    v = make_mobile(rng, MOBILE_PREFIXES)
    forms = (
        v,
        f"{v[:3]} {v[3:7]} {v[7:]}",
        f"+86 {v}",
        full_width(v),
        f"{v[:3]}-{v[3:7]}-{v[7:]}",
    )
    return label("mobile", rng.choice(forms))


_SAID = dict(zip("0123456789", "零幺二三四五六七八九", strict=True))


def mobile_said(rng: random.Random) -> Piece:
    """A number as the hotline's transcript writes it down: 1 said 幺."""
    v = make_mobile(rng, MOBILE_PREFIXES)
    return label("mobile", "".join(_SAID[c] for c in v))


def landline(rng: random.Random) -> Piece:
    area = rng.choice(LANDLINE_AREAS)
    number = digits(rng, 8, "2345678")
    form = rng.randrange(3)
    if form == 0:
        return label("landline", f"{area}-{number}")
    if form == 1:
        return label("landline", f"({area}){number[:4]} {number[4:]}")
    ext = digits(rng, rng.choice((3, 4)))
    return label("landline", f"{area}-{number[:4]} {number[4:]}转{ext}")


def email(rng: random.Random) -> Piece:
    local = rng.choice(EMAIL_LOCALS) + rng.choice(("", "88", "1990", "_sh", "2016"))
    domain = rng.choice(EMAIL_DOMAINS)
    form = rng.randrange(4)
    if form == 0:
        return label("email", f"{local}@{domain}")
    if form == 1:
        return label("email", f"{local}＠{domain}")
    if form == 2:
        return label("email", f"{local} at {domain}")
    return label("email", f"{local}艾特{domain.replace('.', '点')}")


def bank_card(rng: random.Random) -> Piece:
    v = make_card(rng, CARD_BINS)
    groups = [v[i : i + 4] for i in range(0, len(v), 4)]
    return label("bank_card", rng.choice((v, " ".join(groups), "-".join(groups))))


def _plate_serial(rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return digits(rng, 5, "0123456789")
    if kind == 1:
        s = list(digits(rng, 5, "0123456789"))
        s[rng.randrange(5)] = rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
        return "".join(s)
    return rng.choice("DF") + digits(rng, 5, "0123456789")  # new energy, small car


def plate(rng: random.Random) -> Piece:
    prefix, serial = rng.choice(PLATE_PREFIXES), _plate_serial(rng)
    return label("plate", prefix + rng.choice(("", "·")) + serial)


def passport(rng: random.Random) -> Piece:
    return label("passport", rng.choice("EG") + digits(rng, 8, "0123456789"))


def permit(rng: random.Random) -> Piece:
    """往来港澳通行证 C, 回乡证 H/M, 赴台 T, each a letter and eight digits."""
    return label("permit", rng.choice("CHMT") + digits(rng, 8, "0123456789"))


def taiwan(rng: random.Random) -> Piece:
    """台湾居民来往大陆通行证 (台胞证): eight digits."""
    return label("permit", digits(rng, 8, "0123456789"))


def wechat(rng: random.Random) -> Piece:
    stem = rng.choice(WECHAT_STEMS)
    return label("wechat", stem + rng.choice(("_", "")) + digits(rng, rng.randint(2, 4)))


def qq(rng: random.Random) -> Piece:
    return label("qq", digits(rng, rng.randint(8, 10)))


def court_no(rng: random.Random) -> Piece:
    year = rng.randint(2021, 2026)
    seq = rng.randint(1, 29999)
    return label("case_no", f"({year}){rng.choice(COURTS)}{rng.choice(COURT_TYPES)}{seq}号")


def arb_no(rng: random.Random) -> Piece:
    year, seq = rng.randint(2021, 2026), rng.randint(1, 9999)
    return label("case_no", f"{rng.choice(ARBITRATIONS)}劳人仲({year})办字第{seq}号")


def vin(rng: random.Random) -> Piece:
    return label("vin", make_vin(rng, VIN_WMIS))


def hospital_no(rng: random.Random) -> Piece:
    return label("hospital_no", digits(rng, rng.choice((7, 10)), "0123456789"))


def uscc(rng: random.Random) -> Piece:
    return label("uscc", make_uscc(rng, USCC_PREFIXES, USCC_AREAS))


def date(rng: random.Random) -> Piece:
    y, m, d = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
    return label("date", rng.choice((f"{y}年{m}月{d}日", f"{m}月{d}日", f"{y}-{m:02d}-{d:02d}")))


def birth(rng: random.Random) -> Piece:
    y, m, d = rng.randint(1950, 2003), rng.randint(1, 12), rng.randint(1, 28)
    return label("date", f"{y}年{m}月{d}日")


def amount(rng: random.Random) -> Piece:
    n = rng.choice((800, 1500, 3000, 4200, 6800, 8000, 12500, 23000, 56000, 120000))
    form = rng.randrange(4)
    if form == 0:
        return label("amount", f"{n}元")
    if form == 1:
        return label("amount", f"{n:,}元")
    if form == 2:
        return label("amount", f"{n / 10000:g}万元")
    return label("amount", f"¥{n:,}.00")


def address(rng: random.Random) -> Piece:
    district = rng.choice(tuple(DISTRICT_TOWNS))
    town = rng.choice(DISTRICT_TOWNS[district])
    road = rng.choice(ROADS)
    form = rng.randrange(5)
    n = rng.randint
    city = rng.choice(("", "", "上海市"))
    if form == 0:
        v = f"{city}{district}{town}{road}{n(1, 3000)}弄{n(1, 120)}号{n(1, 30)}0{n(1, 6)}室"
    elif form == 1:
        v = f"{district}{town}{rng.choice(VILLAGES)}村{n(1, 15)}组{n(1, 300)}号"
    elif form == 2:
        v = f"{city}{district}{road}{n(1, 3000)}号{rng.choice(ESTATES)}小区{n(1, 40)}号楼{n(1, 4)}单元{n(1, 25)}0{n(1, 4)}室"
    elif form == 3:
        v = f"{rng.choice(ZONES)}{road}{n(1, 1500)}号{n(1, 12)}幢"
    else:
        v = f"{district}{road}{n(1, 3000)}号{n(2, 20)}楼"
    return label("address", v)


def rural(rng: random.Random) -> Piece:
    prov, city, county, towns = rng.choice(RURAL)
    v = f"{prov}{city}{county}{rng.choice(towns)}{rng.choice(RURAL_VILLAGES)}村{rng.randint(1, 12)}组"
    return label("address", v)


def company(rng: random.Random) -> Piece:
    return rng.choice(COMPANIES), []


SLOTS: dict[str, Maker] = {
    "name": name,
    "minority": minority,
    "title": titled,
    "rid": resident_id,
    "mobile": mobile,
    "mobile_said": mobile_said,
    "landline": landline,
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
            "{title}，我是楼下的，你家空调外机一直滴水滴到我家阳台上，方便的话加我微信{wechat}，或者直接打{mobile}。",
            "【房东】{name}你好，这个月房租{amount}还没到账，麻烦{date}前转到{card}（工商银行），谢谢。",
            "押金的事我问过中介了，他们说要你本人身份证号{rid}才能退，你发我一下。",
            "我车停在你们小区门口，车牌{plate}，挡到你了就打我电话{mobile}。",
            "老婆，{name}的QQ是{qq}，你加一下问问装修款的事。",
            "亲，合同我已经发你邮箱{email}了，签好字拍照发回来就行。",
            "{name}：您好，您{date}提交的退租申请已受理，请携带身份证到{addr}办理交接。",
            "VX {wechat} 这是我新号，旧号被封了，有事找{title}也行。",
        ),
        (
            "收到，我晚上回去看一下。",
            "今天下雨，快递放门卫室了。",
            "物业说下周一统一检修电梯。",
            "好的谢谢，麻烦你了👍",
            "群里别发广告了，再发踢了。",
        ),
        "\n",
    ),
    "hotline": Genre(
        (
            "话务员：请问您怎么称呼？\n市民：我叫{name}，联系电话{mobile_said}。",
            "市民：我住在{addr}，楼上{title}家天天晚上十一点还在敲墙，吵得小孩睡不着。",
            "话务员：您反映的是哪个小区？\n市民：{addr}，物业电话{landline}打了好几次都没人管。",
            "市民：我手机号是{mobile_said}，你们处理好了给我回个电话。",
            "市民：我再报一个备用号码{mobile}，是我儿子{name}的。",
            "市民：快递员把我的包裹弄丢了，订单上留的是我老公{name}的名字，身份证{rid}。",
            "市民：车子停在小区门口被人刮了，我的车牌是{plate}，{date}晚上的事，监控要物业去调。",
        ),
        (
            "话务员：您好，12345市民服务热线，很高兴为您服务。",
            "话务员：您的诉求我已经记录，会在三个工作日内转交属地街道处理。",
            "市民：上次打过一次，工单说已经办结了，其实根本没人来。",
            "话务员：请问还有其他需要补充的吗？",
            "市民：就在徐家汇那边，地铁站出来往南走一点。",
        ),
        "\n",
    ),
    "petition": Genre(
        (
            "申请人：{name}，男，汉族，{birth}出生，公民身份号码{rid}，住{addr}，联系电话{mobile}。",
            "被申请人：{company}，统一社会信用代码{uscc}，住所地{addr}，法定代表人{name}。",
            "请求事项：一、判令被申请人支付拖欠工资{amount}；二、支付解除劳动合同经济补偿金{amount}。",
            "答辩人{name}，女，{birth}出生，户籍地{rural}，现住{addr}。",
            "事实与理由：申请人于{date}入职被申请人处，担任仓库管理员，月工资{amount}，被申请人一直未与申请人签订书面劳动合同。",
            "此致\n上海市浦东新区人民法院\n申请人：{name}\n{date}",
            "委托代理人：{name}，上海市某律师事务所律师，联系电话{landline}。",
            "原告之夫{name}系本案证人，身份证号{rid}，可出庭作证。",
        ),
        (
            "为维护申请人的合法权益，特提出申请，望依法支持。",
            "根据《中华人民共和国劳动合同法》第八十二条，用人单位应当支付二倍工资。",
            "附：证据材料清单一份，共计十二页。",
            "答辩人认为原告的诉讼请求缺乏事实和法律依据，请求法院依法驳回。",
        ),
        "\n",
    ),
    "mediation": Genre(
        (
            "调解员：请双方当事人报一下身份信息。\n申请人：{name}，身份证{rid}，住{addr}。",
            "被申请人：我叫{name}，电话{mobile}，我不同意赔那么多。",
            "调解员：{title}，你刚才说押金{amount}已经退了，有转账记录吗？",
            "经调解，双方自愿达成如下协议：被申请人于{date}前一次性支付申请人{amount}，款项汇入申请人账户{card}。",
            "记录人：{name}　　调解员：{name}　　时间：{date}",
            "申请人{minority}由其子{name}陪同到场，其子身份证号{rid}。",
            "第三人：我是物业经理{name}，这是我的工作微信{wechat}，以后有事直接找我。",
        ),
        (
            "调解员：今天请双方来，主要是把漏水赔偿的事情说清楚。",
            "调解地点：街道人民调解委员会第二调解室。",
            "双方对上述事实均无异议。",
            "本协议一式三份，双方当事人各执一份，调解委员会留存一份。",
        ),
        "\n",
    ),
    "notice": Genre(
        (
            "温馨提示：{addr}的住户请注意，{date}上午九点至下午四点停水，请提前储水。",
            "催缴通知\n{name}业主：您名下{addr}的物业费已欠缴{amount}，请于{date}前缴清，咨询电话{landline}。",
            "关于车辆违停的通知：车牌为{plate}的车辆长期占用消防通道，请车主于{date}前挪走。",
            "房东通知：因房屋出售，请租客{name}于{date}前搬离，押金{amount}验房后退还。",
            "失物招领：在3号楼电梯内拾到身份证一张，姓名{name}，号码{rid}，请失主到物业服务中心认领。",
            "装修公示：{addr}业主于{date}起装修，施工负责人{title}，电话{mobile}。",
        ),
        (
            "为保障小区消防安全，楼道内禁止堆放杂物。",
            "本周六上午小区开展垃圾分类宣传活动，欢迎业主参加。",
            "物业服务中心工作时间：每天8:00-17:30。",
            "非机动车请停放在地下车库指定区域，严禁在楼道内充电。",
        ),
        "\n",
    ),
    "labour": Genre(
        (
            "投诉人{name}，身份证号{rid}，于{date}进入{company}工作，公司至今拖欠我三个月工资共计{amount}。",
            "我们组长{title}说不签字就不给发工资，我有录音，可以发到你们邮箱{email}。",
            "公司财务{name}用个人账户{card}给我们发工资，一直没有交社保。",
            "我在车间受伤，{date}住进医院，住院号{hosp}，公司不给报工伤。",
            "用人单位：{company}，统一社会信用代码{uscc}，实际经营地址{addr}。",
            "工友{minority}和我一起被辞退的，他电话{mobile}，可以作证。",
            "被投诉单位负责人{name}，手机{mobile}，座机{landline}。",
        ),
        (
            "我们一共十几个人，都是做保洁的，年底了工资还没发。",
            "劳动监察大队说要先去仲裁，仲裁委又说材料不全。",
            "公司搬走了，原来的办公室已经人去楼空。",
            "希望劳动保障监察部门尽快处理。",
        ),
        "\n",
    ),
    "court": Genre(
        (
            "上海市浦东新区人民法院\n民事判决书\n{court_no}\n原告：{name}，男，{birth}生，汉族，住{addr}。",
            "申请人{name}与被申请人{company}劳动争议一案，本委于{date}立案受理，案号{arb_no}。",
            "原告诉称：被告{name}于{date}向原告借款{amount}，约定一个月内归还，至今未还。",
            "被告{name}，女，{birth}出生，持往来港澳通行证，证件号码{permit}。",
            "案外人{name}持有护照，护照号码{passport}，经本院合法传唤未到庭。",
            "涉案车辆车架号{vin}，车牌号{plate}，登记在被告{name}名下。",
            "原告{name}系台湾居民，台湾居民来往大陆通行证号码{taiwan}。",
            "原审法院作出{court_no}民事判决后，上诉人{name}不服，提起上诉。",
        ),
        (
            "本院认为，根据《中华人民共和国民法典》第五百七十七条的规定，被告应当承担违约责任。",
            "案件受理费减半收取，由被告负担。",
            "如不服本判决，可在判决书送达之日起十五日内向本院递交上诉状。",
            "被告王某经本院传票传唤，无正当理由拒不到庭。",
        ),
        "\n",
    ),
    "shop": Genre(
        (
            "买家：我的快递地址写错了，改成{addr}，收件人{name}，电话{mobile}",
            "客服：亲，退款{amount}已经原路退回，预计1-3个工作日到账哦",
            "买家：我{date}下的单，到现在还没发货，你加我QQ{qq}说吧",
            "客服：麻烦亲提供一下支付宝账号~\n买家：支付宝就是我邮箱{email}",
            "买家：我是用{name}的身份证{rid}实名的，海关那边要的",
            "买家：开发票，抬头{company}，税号{uscc}",
            "买家：别再打我电话{mobile}了，有事微信{wechat}联系",
        ),
        (
            "客服：亲亲，这边帮您催一下仓库哦～",
            "买家：质量太差了，穿了一次就起球。",
            "客服：七天无理由退换货，运费险已经帮您申请了。",
            "买家：好评返现是真的吗？",
        ),
        "\n",
    ),
}

TEMPLATES: tuple[str, ...] = tuple(t for g in GENRES.values() for t in g.templates)
CLEAN: list[str] = [c for g in GENRES.values() for c in g.clean]


def corpus(n: int = 600, seed: int = 2611) -> list[tuple[str, list[Span]]]:
    """``n`` labelled documents of the tuning half, the same for the same seed."""
    return build(GENRES, SLOTS, n, seed)
