"""The seventh corpus, REPORT half: held out, never tuned on (issue 11, item 4).

Figures only: benchmarks/scrubber.py prints its aggregate recall and precision, never its
texts, the values it misses or the words its clean sentences lose. Whoever tunes the rules
tunes on tests/corpus/seventh.py and must not read this file.

Written by the same new author as the tuning half, in other genres and phrasing: police
出警记录 summaries, 医患纠纷 complaints, rural 土地承包 disputes, statements dictated by
elderly people (dialect words, digits said in Chinese), bilingual complaints by foreign
residents and 租房 deposit disputes. Templates, pools and hand-written texts are this
half's own; tests/unit/test_corpus_seventh.py checks that the halves share none. The
labelling is the tuning half's (tests/corpus/seventh.py).
"""

from __future__ import annotations

import random

from tests.corpus.unseen_kit import (
    Doc,
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
    uscc_of,
    with_id_check,
    with_luhn,
    with_vin_check,
    words,
)

SEED = 7702

POOLS: dict[str, tuple[str, ...]] = {
    "surname": words("徐 孙 胡 朱 高 林 何 郭 马 罗 梁 宋 郑 谢 韩 唐 冯 于 董 隗 冼 覃 邝 禤"),
    "compound": words("轩辕 南宫 赫连 第五"),
    "given2": words("淑珍 永强 美玲 金花 建华 秋菊 文斌 雪梅 国栋 翠兰 亚男 子涵 浩然 红霞 长林"),
    "given1": words("芳 刚 涛 丹 鹏 琳"),
    "minority": words("古丽娜尔·阿不都 米热古丽·艾力 洛桑·旺堆 乌兰·其其格 阿布都热合曼·吐尔洪"),
    "nodot": words("阿牛木呷 吉克阿依 沙马拉且"),
    "foreign": words("玛丽亚·加西亚 彼得·穆勒"),
    "latin": ("David Wilson", "Emily Clarke", "Kenji Tanaka", "Olga Petrova"),
    "city": words("广州市天河区 深圳市福田区 南宁市青秀区 成都市武侯区 昆明市五华区 北京市朝阳区"),
    "road": words("天河北路 深南大道 民族大道 人民南路 东风路 建国路 科华北路"),
    "estate": words("华润城 保利香槟苑 碧水湾 荔湾新村 龙湖春江郦城 望京西园"),
    "county": words(
        "云南省镇雄县 贵州省威宁县 甘肃省会宁县 河北省献县 黑龙江省海伦市 湖南省邵东市"
    ),
    "xiang": words("以勒镇 雪山乡 丁家沟镇 陌南镇 前进乡 廉桥镇"),
    "cun": words("大寨村 坪上村 杨崖村 张家庄村 勤劳村 石门村"),
    "group": words("大寨村民小组 老鸦冲村民小组 后山村民小组"),
    "tun": words("王家屯 刘家窝堡屯 二道沟屯"),
    "en_estate": ("Jinhui Garden", "Lakeside Villa", "Oriental Bay"),
    "en_district": ("Futian District, Shenzhen", "Chaoyang District, Beijing"),
    "wechat": words("wx_leo_2046 mm19900817 Grace-cd666 zhu_dage321 Olga_in_CN"),
    "mailbox": words("david.wilson emily.c88 tanaka.kenji guodong_lin xiaoma2020"),
    "maildomain": words("gmail.com outlook.com hotmail.com foxmail.com yeah.net"),
    "hospital": words("第三人民医院 中医院 妇幼保健院 市第一人民医院"),
    "agency": words("链家 我爱我家 自如 贝壳找房"),
}

_AREAS = ("440106", "440304", "450103", "510107", "530102", "110105", "532128", "522427")
_MOBILE = ("133", "136", "138", "139", "153", "166", "176", "181", "187", "198")
_BINS = ("621226", "622202", "436742", "625965")
_WMI = ("LHG", "LFM", "LBV", "LDC")
_CN = str.maketrans("0123456789", "零一二三四五六七八九")


def _full(rng: random.Random) -> Piece:
    if rng.random() < 0.15:
        return label("name", rng.choice(POOLS["compound"]) + rng.choice(POOLS["given2"]))
    given = rng.choice(POOLS["given2"] if rng.random() < 0.75 else POOLS["given1"])
    return label("name", rng.choice(POOLS["surname"]) + given)


def _surname(rng: random.Random) -> Piece:
    return label("name", rng.choice(POOLS["surname"] + POOLS["compound"]))


def _called(rng: random.Random) -> Piece:
    form = rng.randrange(7)
    if form == 0:
        return concat("老", _surname(rng))
    if form == 1:
        return concat("小", _surname(rng))
    if form == 2:
        return concat(label("name", rng.choice(POOLS["given2"])[-1:]), rng.choice(("妹", "娃")))
    if form == 3:
        return concat("阿", label("name", rng.choice(POOLS["given2"])[-1:]))
    title = rng.choice(("医生", "护士长", "警官", "主任", "大爷", "婶", "老板"))
    return concat(_surname(rng), title)


def _given(rng: random.Random) -> Piece:
    return label("name", rng.choice(POOLS["given2"]))


def _other(rng: random.Random) -> Piece:
    return label("name", rng.choice(POOLS["minority"] + POOLS["nodot"] + POOLS["foreign"]))


def _latin(rng: random.Random) -> Piece:
    return label("name", rng.choice(POOLS["latin"]))


def _crowd(rng: random.Random) -> Piece:
    parts: list[Piece | str] = []
    for i in range(rng.randint(2, 5)):
        if i:
            parts.append(rng.choice(("、", "、", "，")))
        parts.append(_full(rng) if rng.random() < 0.85 else _other(rng))
    return concat(*parts)


def _anon(rng: random.Random) -> Piece:
    return rng.choice(POOLS["surname"]) + rng.choice(("某", "某某", "某甲")), []


def _address(rng: random.Random) -> Piece:
    form = rng.randrange(8)
    if form == 0:
        v = (
            f"{rng.choice(POOLS['city'])}{rng.choice(POOLS['estate'])}{rng.randint(1, 20)}栋"
            f"{rng.choice('ABC')}座{rng.randint(2, 33)}0{rng.randint(1, 8)}"
        )
    elif form == 1:
        v = f"{rng.choice(POOLS['estate'])}{rng.randint(1, 40)}座{rng.randint(1, 30)}0{rng.randint(1, 6)}房"
    elif form == 2:
        v = (
            f"{rng.choice(POOLS['city'])}{rng.choice(POOLS['road'])}{rng.randint(1, 400)}号"
            f"{rng.randint(1, 12)}号楼{rng.randint(1, 6)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}"
        )
    elif form == 3:
        v = (
            f"{rng.choice(POOLS['county'])}{rng.choice(POOLS['xiang'])}{rng.choice(POOLS['cun'])}"
            f"{rng.choice(POOLS['group'])}"
        )
    elif form == 4:
        v = (
            f"{rng.choice(POOLS['county'])}{rng.choice(POOLS['xiang'])}{rng.choice(POOLS['cun'])}"
            f"第{rng.choice('一二三四五六七')}村民小组{rng.randint(1, 50)}号"
        )
    elif form == 5:
        v = f"{rng.choice(POOLS['xiang'])}{rng.choice(POOLS['cun'])}{rng.choice(POOLS['tun'])}"
    elif form == 6:
        v = f"{rng.choice(POOLS['city'])}{rng.choice(POOLS['road'])}{rng.randint(1, 300)}号院"
    else:
        v = f"{rng.choice(POOLS['cun'])}{rng.randint(1, 15)}组{rng.randint(1, 80)}户"
    return label("address", v)


def _en_address(rng: random.Random) -> Piece:
    return label(
        "address",
        f"Room {rng.randint(2, 30)}0{rng.randint(1, 6)}, Tower {rng.randint(1, 9)}, "
        f"{rng.choice(POOLS['en_estate'])}, {rng.choice(POOLS['en_district'])}",
    )


def _rid(rng: random.Random) -> Piece:
    v = make_resident_id(rng, _AREAS, want_x=rng.random() < 0.25)
    form = rng.randrange(5)
    if form == 1:
        v = f"{v[:6]} {v[6:10]} {v[10:14]} {v[14:]}"
    elif form == 2:
        v = full_width(f"{v[:6]}-{v[6:14]}-{v[14:]}")
    elif form == 3:
        v = v[:-1] + "x" if v.endswith("X") else full_width(f"{v[:6]} {v[6:14]} {v[14:]}")
    elif form == 4:
        v = f"{v[:6]}.{v[6:14]}.{v[14:]}"
    return label("resident_id", v)


def _mobile(rng: random.Random) -> Piece:
    v = make_mobile(rng, _MOBILE)
    form = rng.randrange(6)
    if form == 1:
        v = f"(+86){v[:3]} {v[3:7]} {v[7:]}"
    elif form == 2:
        v = f"0086 {v[:3]} {v[3:7]} {v[7:]}"
    elif form == 3:
        v = f"{v[:3]}.{v[3:7]}.{v[7:]}"
    elif form == 4:
        v = full_width(f"{v[:3]} {v[3:7]} {v[7:]}")
    elif form == 5:
        v = f"{v[:7]} {v[7:]}"
    return label("mobile", v)


def _spoken(rng: random.Random) -> Piece:
    """A mobile number said digit by digit, as a clerk writes down an old person's words."""
    return label("mobile", make_mobile(rng, _MOBILE).translate(_CN))


def _landline(rng: random.Random) -> Piece:
    area = rng.choice(("020", "0755", "0771", "028", "0871", "010"))
    local = digits(rng, 8 if len(area) == 3 else rng.choice((7, 8)), "2345678")
    form = rng.randrange(4)
    if form == 0:
        v = f"{area}{local}"
    elif form == 1:
        v = f"（{area}）{local[:4]}-{local[4:]}"
    elif form == 2:
        v = f"{area}-{local} 分机 {rng.randint(10, 999)}"
    else:
        v = f"+86 {area[1:]} {local}"
    return label("landline", v)


def _email(rng: random.Random) -> Piece:
    at = "＠" if rng.random() < 0.3 else "@"
    box = rng.choice(POOLS["mailbox"])
    if rng.random() < 0.2:
        box = box.upper()
    return label("email", f"{box}{at}{rng.choice(POOLS['maildomain'])}")


def _card(rng: random.Random) -> Piece:
    v = make_card(rng, _BINS)
    form = rng.randrange(3)
    if form == 1:
        v = "-".join(v[i : i + 4] for i in range(0, len(v), 4))
    elif form == 2:
        v = f"{v[:6]} {v[6:]}"
    return label("bank_card", v)


def _plate(rng: random.Random) -> Piece:
    head = rng.choice("粤桂川云京黔") + rng.choice("ABCDEK")
    if rng.random() < 0.4:  # new-energy: six characters, D/F first for small cars
        v = (
            head
            + rng.choice("DF")
            + rng.choice("ABCDEFGHJK0123456789")
            + digits(rng, 4, "0123456789")
        )
        v = v if rng.random() < 0.6 else f"{v[:2]}·{v[2:]}"
    else:
        v = (
            head
            + digits(rng, 3, "0123456789")
            + rng.choice("ABCDEFGHJK")
            + rng.choice("0123456789")
        )
        v = v if rng.random() < 0.6 else f"{v[:2]}-{v[2:]}"
    return label("plate", v)


def _passport(rng: random.Random) -> Piece:
    if rng.random() < 0.5:
        return label("passport", "E" + rng.choice("ABCDEFGHJ") + digits(rng, 7, "0123456789"))
    return label("passport", "G" + digits(rng, 8, "0123456789"))


def _permit(rng: random.Random) -> Piece:
    form = rng.randrange(3)
    if form == 0:  # 回乡证 with renewal digits
        return label("permit", "H" + digits(rng, 10, "0123456789"))
    if form == 1:  # 澳门居民来往内地通行证
        return label("permit", "M" + digits(rng, 10, "0123456789"))
    return label("permit", "T" + digits(rng, 8, "0123456789"))


def _wechat(rng: random.Random) -> Piece:
    return label("wechat", rng.choice(POOLS["wechat"]))


def _qq(rng: random.Random) -> Piece:
    return label("qq", digits(rng, rng.randint(5, 11)))


def _case(rng: random.Random) -> Piece:
    y = rng.randint(2021, 2026)
    form = rng.randrange(4)
    if form == 0:
        v = f"({y})粤0304民初{rng.randint(1000, 49999)}号"
    elif form == 1:
        v = f"（{y}）桂0103民初{rng.randint(1, 9999)}号"
    elif form == 2:
        v = f"深劳人仲案〔{y}〕{rng.randint(100, 9999)}号"
    else:
        v = f"（{y}）川01民终{rng.randint(100, 9999)}号"
    return label("case_no", v)


def _vin(rng: random.Random) -> Piece:
    return label("vin", make_vin(rng, _WMI).lower() if rng.random() < 0.2 else make_vin(rng, _WMI))


def _hospital(rng: random.Random) -> Piece:
    form = rng.randrange(3)
    if form == 0:
        return label("hospital_no", digits(rng, 10, "12"))
    if form == 1:
        return label("hospital_no", "MZ" + digits(rng, 10, "0123456789"))
    return label("hospital_no", "00" + digits(rng, 6, "0123456789"))


def _uscc(rng: random.Random) -> Piece:
    return label("uscc", make_uscc(rng, ("91", "93", "12"), _AREAS[:6]))


def _date(rng: random.Random) -> Piece:
    y, m, d = rng.randint(2018, 2026), rng.randint(1, 12), rng.randint(1, 28)
    form = rng.randrange(3)
    v = (f"{y}年{m:02d}月{d:02d}日", f"{y}.{m}.{d}", f"{y}/{m}/{d}")[form]
    return label("date", v)


def _amount(rng: random.Random) -> Piece:
    form = rng.randrange(4)
    if form == 0:
        v = f"{rng.randint(1, 90)},{rng.randint(0, 999):03d}元"
    elif form == 1:
        v = f"¥{rng.randint(100, 9999)}.00"
    elif form == 2:
        v = f"{rng.choice('一两三四五六七八九')}千{rng.choice('一二三四五')}百块钱"
    else:
        v = f"{rng.randint(2, 40)}万"
    return label("amount", v)


SLOTS: dict[str, Maker] = {
    "name": _full,
    "called": _called,
    "given": _given,
    "other": _other,
    "latin": _latin,
    "crowd": _crowd,
    "anon": _anon,
    "place": _address,
    "en_place": _en_address,
    "idno": _rid,
    "phone": _mobile,
    "spoken": _spoken,
    "fixed": _landline,
    "email": _email,
    "card": _card,
    "car": _plate,
    "pp": _passport,
    "permit": _permit,
    "wechat": _wechat,
    "qq": _qq,
    "caseno": _case,
    "vin": _vin,
    "hosp": _hospital,
    "uscc": _uscc,
    "day": _date,
    "money": _amount,
    "village": lambda rng: (
        rng.choice(POOLS["county"]) + rng.choice(POOLS["xiang"]) + rng.choice(POOLS["cun"]),
        [],
    ),  # a village without a group or house number is not an address
    "hospital": lambda rng: (rng.choice(POOLS["hospital"]), []),
    "agency": lambda rng: (rng.choice(POOLS["agency"]), []),
}

GENRES: dict[str, Genre] = {
    "chujing": Genre(
        templates=(
            "{day}21时许，接报警人{name}（{phone}）称在{place}与邻居发生口角，民警到场处置。",
            "经了解，报警人与住在{place}的{name}系前夫妻关系，双方因孩子抚养问题争吵，无人受伤。",
            "当事人{name}，公民身份号码{idno}，现住{place}，情绪激动，经劝导后离开。",
            "涉事车辆号牌{car}，驾驶人{called}称系倒车时剐蹭，双方同意自行协商。",
            "处警民警{called}、辅警{name}，到场时间约十分钟。",
            "现场目击者有{crowd}，均表示未看清是谁先动手。",
            "报警人称其电动自行车（车架号{vin}）在{place}楼下被盗，价值约{money}。",
            "另一方当事人{anon}拒不到场，已电话告知其到派出所接受调查。",
        ),
        clean=(
            "民警到场后对双方进行了批评教育，双方表示不再争执。",
            "经查，该纠纷不构成违反治安管理行为，已告知双方通过民事途径解决。",
            "依据《治安管理处罚法》第四十三条，对殴打他人者处以行政拘留。",
            "处警过程全程使用执法记录仪录像。",
            "已将情况通报社区网格员，由其持续跟进。",
        ),
        joiner="",
    ),
    "yihuan": Genre(
        templates=(
            "我母亲{name}于{day}在{hospital}做胆囊手术，住院号{hosp}，术后一直发烧。",
            "主治医生{name}说没事，可三天后就转进了ICU，我们家属完全不知情。",
            "患者家属{name}，电话{phone}，身份证{idno}，家住{place}，要求封存病历。",
            "医院医务科的{name}让我们去{place}的医调委申请调解，电话{fixed}。",
            "抢救费、护理费已经花了{money}，医院只同意补偿{money}。",
            "当天值班护士是{given}，她承认没按时巡视。",
            "请把结果发到我的邮箱{email}，或者加微信{wechat}。",
            "我们已向法院起诉，案号{caseno}。",
        ),
        clean=(
            "根据《医疗纠纷预防和处理条例》，患者有权复制其病历资料。",
            "医疗损害鉴定由双方共同委托具备资质的鉴定机构进行。",
            "医院承诺在十个工作日内给出书面答复。",
            "重症监护室每天下午四点开放探视半小时。",
            "家属对手术知情同意书上的签字有异议。",
        ),
        joiner="",
    ),
    "chengbao": Genre(
        templates=(
            "发包方：{village}村民委员会；承包方：{name}，身份证号{idno}。",
            "承包地块坐落于{place}，东至{name}家责任田，西至水沟，南至机耕路，北至{called}家。",
            "{day}，村里未经承包方同意，将该地块转包给{name}种植烤烟，约定每年租金{money}。",
            "承包方之子{name}常年在外务工，联系电话{phone}，承包经营权证由其保管。",
            "同组村民{crowd}证明该地块一直由承包方耕种。",
            "补偿款{money}打到{card}，户名是{name}。",
            "{anon}称地是他爷爷那辈开荒的，不同意重新丈量。",
        ),
        clean=(
            "承包期内，发包方不得调整承包地，法律另有规定的除外。",
            "依照《农村土地承包法》第二十一条，耕地的承包期为三十年。",
            "土地确权登记以二轮延包合同为依据。",
            "村民小组会议应当有本组三分之二以上成年村民参加。",
            "镇农经站已派人到现场核实地块四至。",
        ),
        joiner="\n",
    ),
    "laoren": Genre(
        templates=(
            "俺叫{name}，今年七十三了，住{place}，俺那个不孝的儿子{given}好几年不回来看俺。",
            "俺闺女的电话是{spoken}，恁有啥事就打给她，俺耳朵背。",
            "那块宅基地是俺老汉活着时候批的，隔壁{called}硬说占了他家两尺。",
            "俺家在{place}，俺的存折、身份证都叫儿媳妇{name}拿去了，身份证号俺记不全，就记得{idno}。",
            "{day}那天，{called}开着{car}把俺家院墙撞塌了，到现在一分钱没赔。",
            "俺孙娃{given}在城里打工，他晓得这事，他微信是{wechat}。",
            "养老钱{money}借给了侄子{name}，打的条子找不着了。",
            "俺屋里的老座机是{fixed}，白天都有人。",
        ),
        clean=(
            "以上是老人口述，由社区工作人员代为记录，经向其宣读无误。",
            "老人表示希望子女按月支付赡养费，并定期回家探望。",
            "赡养人应当履行对老年人经济上供养、生活上照料和精神上慰藉的义务。",
            "村里的老人们都说那口井是大家伙一起打的。",
            "口述人按了手印，记录人签字确认。",
        ),
        joiner="",
    ),
    "expat": Genre(
        templates=(
            "My name is {latin}, passport {pp}. I live at {en_place}. 我的房东不退押金 {money}.",
            "您好，我是{other}，外籍员工，护照号码{pp}，公司拖欠我两个月工资。",
            "Contact me at {email} or {phone}, or visit {en_place}. 我的中文不太好，请用英文回复。",
            "The landlord, Mr. {name}, says the deposit covers 'damage'. 他的电话是{phone}。",
            "港澳居民{name}，回乡证号码{permit}，在{place}租住期间被物业断电。",
            "台湾同胞{name}（台胞证{permit}）反映其在大陆开办的公司被冒用，营业执照上的社会信用代码是{uscc}。",
            "Receipt paid to account {card}, holder {latin}, on {day}.",
            "我的微信是{wechat}，QQ也可以：{qq}。",
        ),
        clean=(
            "Foreign nationals may apply for mediation in English at the service window.",
            "外国人在华工作须持有工作许可和居留许可。",
            "The Exit-Entry Administration Bureau is open on weekdays.",
            "押金的退还以房屋交接时的检查结果为准。",
            "涉外民事纠纷可以委托翻译人员参加调解。",
        ),
        joiner=" ",
    ),
    "zufang": Genre(
        templates=(
            "租客{name}（{phone}）于{day}通过{agency}租下{place}，月租{money}，押一付三。",
            "退租时房东{called}以墙面有钉孔为由扣押金{money}，我有入住时的视频。",
            "出租人：{name}，证件号{idno}，住{place}；承租人：{name}，证件号{idno}。",
            "中介经纪人{called}的工牌上写着{name}，他说可以帮我们私下调解。",
            "合租室友{crowd}都同意平摊水电费，只有{anon}不同意。",
            "房租是转到房东的卡{card}，每次都有转账记录。",
            "二房东{given}失联，电话{fixed}已经打不通，真正的房东要赶我们走。",
        ),
        clean=(
            "出租人应当按照约定将租赁物交付承租人，并在租赁期限内保持其符合约定的用途。",
            "租赁期限不得超过二十年。",
            "根据《商品房屋租赁管理办法》，出租住房应当以原设计的房间为最小出租单位。",
            "住建部门可以对违规群租行为责令改正。",
            "交房时双方应当共同抄录水、电、燃气表读数。",
        ),
        joiner="\n",
    ),
}

TEMPLATES: tuple[str, ...] = tuple(t for g in GENRES.values() for t in g.templates)


def corpus(n: int, seed: int = SEED) -> list[Doc]:
    """``n`` generated documents of this half's genres in turn."""
    return build(GENRES, SLOTS, n, seed)


_ID1 = with_id_check("53212819580304152")
_ID2 = with_id_check("45010319700718403")
_ID3 = with_id_check("44030419940211027")
_ID4 = with_id_check("52242719490930061")
_CARD1 = with_luhn("621226400208817")
_CARD2 = with_luhn("622202401300565712")
_USCC1 = uscc_of("91", "440304", "MA5GTK2W")
_VIN1 = with_vin_check("LHGCV1658J8041127")


def _spaced(v: str, n: int = 4) -> str:
    return " ".join(v[i : i + n] for i in range(0, len(v), n))


_SOURCES: tuple[str, ...] = (
    # chujing
    "«date|2026年10月03日»22时15分，«address|昆明市五华区人民南路88号3号楼2单元501»报警人"
    "«name|覃美玲»（«mobile|139 8710 4425»）称丈夫«name|马永强»酒后砸东西，民警«name|隗»警官"
    "到场时当事人已离开。",
    "报警人«name|洛桑·旺堆»称其停在«address|成都市武侯区科华北路62号院»的轿车«plate|川A·D83K21»"
    f"被人划伤，车架号«vin|{_VIN1}»，怀疑是楼上住户«name|冼»某所为，暂无证据。",
    "双方当事人：«name|禤国栋»，身份证«resident_id|"
    f"{_ID1[:6]} {_ID1[6:10]} {_ID1[10:14]} {_ID1[14:]}»；«name|郑红霞»，电话«mobile|(+86)181 0871 3356»。"
    "经调解双方达成一致，«name|禤国栋»赔偿«amount|¥1200.00»。",
    # yihuan
    "我父亲«name|赫连长林»«date|2025.11.6»在市第一人民医院做心脏支架，住院号«hospital_no|2025110637»，"
    "出院第二天就走了。负责的«name|南宫»医生电话都不接，我们家属要个说法！联系人：«name|赫连浩然»，"
    "«mobile|176-2205-8841»",
    "投诉：妇幼保健院产科护士长«name|于»姓，把我老婆«name|吉克阿依»的病历给了别人看。病案号"
    "«hospital_no|00481736»。请回电«landline|（0871）6532-7710»。",
    "患者«name|第五翠兰»，门诊号«hospital_no|MZ2026003318»，身份证«resident_id|"
    f"{_ID2[:6]}.{_ID2[6:14]}.{_ID2[14:]}»。家属邮箱«email|DIWU.JH@yeah.net»。",
    # chengbao
    "发包方：«address|贵州省威宁县雪山乡坪上村老鸦冲村民小组»\n承包方代表：«name|沙马拉且»，"
    f"身份证号码«resident_id|{_ID4}»\n四至：东至«name|宋建华»地，西至大路，南至«name|冯秋菊»地，北至山脚。",
    "«address|黑龙江省海伦市前进乡勤劳村刘家窝堡屯»村民«name|韩文斌»、«name|韩亚男»、«name|唐淑珍»"
    "联名反映：村里把机动地包给外村人«name|邝刚»，每亩«amount|四百五十块钱»，钱去向不明。",
    # laoren
    "俺是«address|河北省献县陌南镇张家庄村第三村民小组14号»的«name|高金花»，俺那二小子«name|子涵»"
    "把俺的房本押出去借了«amount|八万»，俺不晓得。俺闺女电话«mobile|一三六零三一七二二八九»。",
    "老人口述：俺老伴«name|林»老汉走得早，俺跟大儿«name|林浩然»过，他婆娘«name|谢雪梅»天天骂俺"
    "吃白饭。俺的折子是«bank_card|"
    f"{_CARD1}»，养老钱都在里头。",
    # expat
    "Dear officer, I am «name|Olga Petrova», passport «passport|G71430925». My flat at «address|Room 1806, "
    "Tower 2, Oriental Bay, Futian District, Shenzhen» was broken into on «date|2026/3/14». "
    "我的电话 «mobile|0086 153 2217 9046»，email «email|olga.p＠outlook.com».",
    "港澳同胞«name|胡子涵»（回乡证«permit|H8123046701»）反映：合作方«name|郭»总用其名义注册公司，"
    f"营业执照代码«uscc|{_USCC1}»，案号«case_no|(2026)粤0304民初21877号»。",
    # zufang
    "租客«name|轩辕秋菊»：我通过链家租的«address|华润城7栋B座2303»，退租时房东«name|董»老板扣了"
    f"«amount|6,600元»押金。房租一直转到«bank_card|{_CARD2[:6]} {_CARD2[6:]}»，户名«name|董建华»。",
    "室友«name|米热古丽·艾力»、«name|彼得·穆勒»和我三人合租«address|望京西园3区12号楼4单元602»，"
    "二房东«name|孙鹏»跑路了，他的微信«wechat|zhu_dage321»已经把我们拉黑，QQ«qq|904412758»也不回。",
    "出租人«name|梁丹»，身份证«resident_id|"
    f"{full_width(_ID3)}»，联系电话«landline|020-3871 2290 分机 18»。",
)

#: The report half's hand-written texts, each with its gold spans.
HANDWRITTEN: list[Doc] = [marked(s) for s in _SOURCES]

#: Sentences with no personal data, though some look as if they might carry some.
CLEAN: tuple[str, ...] = (
    *(c for g in GENRES.values() for c in g.clean),
    "深圳市福田区人民法院诉讼服务中心周六上午照常办公。",
    "科华北路派出所户籍窗口已搬到新址。",
    "广西壮族自治区高级人民法院发布了十大典型案例。",
    "依据《民事诉讼法》第一百二十二条，起诉必须有明确的被告。",
    "马鞍山路的公交站台正在改造。",
    "林业局提醒村民注意防火。",
    "高铁站到医院的接驳车每二十分钟一班。",
)
