"""The seventh corpus, tuning half: a new author's generators and hand-written texts
(issue 11, item 4).

Written without reading the scrubber's rules or the earlier corpora's phrasing; only the
check-digit helpers, the template filler and the markup of tests/corpus/unseen_kit.py are
reused. Genres of this half: 12345 hotline transcripts, 物业 WeChat group chats, 人民调解
协议书 drafts, 劳动仲裁申请书, 外卖/快递 platform complaints and OCR-damaged scans (stray
spaces, inside values too). The report half (tests/corpus/seventh_report.py) has other
genres, templates, pools and hand-written texts; tests/unit/test_corpus_seventh.py checks
that the halves share none.

Labelling follows tests/corpus/unseen_kit.py: a surname or given name with a form of
address (老王, 小李, 张师傅, 刘总, 陈姐) labels the name part alone; a full name with a title
labels the full name; court-style anonymised forms (王某, 李某某) stay unlabelled; an
address runs from its first administrative part (or its estate, for partial addresses) to
its last locator (室, 号, 组, 户, 屯, 村民小组); a place without a locator (a street, a town, a police
station) is not an address. Dates and amounts are labelled, since the scrubber removes them.
"""

from __future__ import annotations

import random

from privacy.pii import Span
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

SEED = 7001

# --- pools (none of their entries is in the report half) ---------------------------------

POOLS: dict[str, tuple[str, ...]] = {
    "surname": words("王 李 张 刘 陈 杨 赵 黄 周 吴 亢 逯 眭 笪 厍 蒯"),
    "compound": words("司徒 公孙 钟离 闻人"),
    "given2": words("建军 秀兰 志强 海燕 桂芳 国庆 晓东 丽娟 春生 玉梅 宏伟 小燕 德福 凤英 振华"),
    "given1": words("磊 娜 勇 静 斌 敏"),
    "minority": words("热依拉·吐尔逊 艾尔肯·买买提 扎西·次仁 阿依努尔·沙吾提 巴特尔·孟和"),
    "foreign": words("詹姆斯·史密斯 卡洛斯·门德斯 安娜·科瓦尔"),
    "city": words("杭州市西湖区 南京市鼓楼区 合肥市蜀山区 武汉市洪山区 郑州市金水区 济南市历下区"),
    "road": words("文三路 中山北路 长江西路 珞喻路 花园路 经十路 解放东路"),
    "estate": words("金色家园 阳光水岸 翡翠城 锦绣花苑 东湖春晓 和平里小区 香樟苑"),
    "county": words("河南省商水县 安徽省寿县 江西省于都县 湖北省监利县 山东省曹县 四川省南部县"),
    "town": words("黄寨镇 瓦埠镇 罗坳镇 朱河镇 青堌集镇 升水镇"),
    "village": words("李庄村 东岗村 新屋村 河湾村 后楼村 柏树村"),
    "tun": words("那坡屯 弄怀屯 六合屯"),
    "tun_up": words("广西壮族自治区靖西市龙邦镇 广西壮族自治区田阳区那满镇"),
    "lane": words("上海市黄浦区建国西路 上海市徐汇区永嘉路 上海市静安区昌平路"),
    "wechat": words("wxid_k3m9p2 sunny_hz1988 laoli-7788 Echo_2019w fenfen0321"),
    "mailbox": words("zhangjm wangxl_88 liu.haiyan chen2016 wuyun.gz"),
    "maildomain": words("163.com qq.com 126.com sina.com"),
    "company": words("杭州速达配送有限公司 南京恒信物业管理有限公司 合肥鑫源电子科技有限公司"),
    "platform": words("美团 饿了么 顺丰 中通 京东"),
}

_AREAS = ("330106", "320106", "340104", "420111", "410105", "370102", "411623", "341422")
_MOBILE = ("130", "135", "137", "150", "158", "177", "186", "189", "199")
_BINS = ("622848", "621700", "622588", "623668")
_WMI = ("LSV", "LFV", "LGB", "LVS")


def _full(rng: random.Random) -> Piece:
    if rng.random() < 0.2:
        return label("name", rng.choice(POOLS["compound"]) + rng.choice(POOLS["given2"]))
    given = rng.choice(POOLS["given2"] if rng.random() < 0.8 else POOLS["given1"])
    return label("name", rng.choice(POOLS["surname"]) + given)


def _surname(rng: random.Random) -> Piece:
    return label("name", rng.choice(POOLS["surname"] + POOLS["compound"]))


def _titled(rng: random.Random) -> Piece:
    form = rng.randrange(6)
    if form == 0:
        return concat("老", _surname(rng))
    if form == 1:
        return concat("小", _surname(rng))
    title = rng.choice(("师傅", "总", "姐", "经理", "阿姨", "哥"))
    return concat(_surname(rng), title)


def _given(rng: random.Random) -> Piece:
    return label("name", rng.choice(POOLS["given2"]))


def _ethnic(rng: random.Random) -> Piece:
    return label("name", rng.choice(POOLS["minority"] + POOLS["foreign"]))


def _names(rng: random.Random) -> Piece:
    parts: list[Piece | str] = []
    for i in range(rng.randint(2, 4)):
        if i:
            parts.append("、")
        parts.append(_full(rng) if rng.random() < 0.8 else _ethnic(rng))
    return concat(*parts)


def _mou(rng: random.Random) -> Piece:
    return rng.choice(POOLS["surname"]) + rng.choice(("某", "某某")), []


def _estate_addr(rng: random.Random) -> str:
    return (
        f"{rng.choice(POOLS['estate'])}{rng.randint(1, 30)}幢{rng.randint(1, 4)}单元"
        f"{rng.randint(1, 28)}0{rng.randint(1, 4)}室"
    )


def _address(rng: random.Random) -> Piece:
    form = rng.randrange(7)
    if form == 0:
        value = f"{rng.choice(POOLS['city'])}{_estate_addr(rng)}"
    elif form == 1:
        value = _estate_addr(rng)  # partial: the estate, building, unit and room
    elif form == 2:
        value = f"{rng.choice(POOLS['city'])}{rng.choice(POOLS['road'])}{rng.randint(1, 999)}号"
    elif form == 3:
        value = (
            f"{rng.choice(POOLS['county'])}{rng.choice(POOLS['town'])}"
            f"{rng.choice(POOLS['village'])}{rng.choice('一二三四五六七八')}组"
        )
    elif form == 4:
        value = (
            f"{rng.choice(POOLS['county'])}{rng.choice(POOLS['town'])}"
            f"{rng.choice(POOLS['village'])}{rng.randint(1, 12)}组{rng.randint(1, 60)}号"
        )
    elif form == 5:
        value = f"{rng.choice(POOLS['tun_up'])}{rng.choice(POOLS['tun'])}{rng.randint(1, 40)}号"
    else:
        value = (
            f"{rng.choice(POOLS['lane'])}{rng.randint(10, 600)}弄{rng.randint(1, 80)}号"
            f"{rng.randint(1, 6)}0{rng.randint(1, 3)}室"
        )
    return label("address", value)


def _rid(rng: random.Random) -> Piece:
    v = make_resident_id(rng, _AREAS, want_x=rng.random() < 0.2)
    form = rng.randrange(5)
    if form == 1:
        v = f"{v[:6]} {v[6:14]} {v[14:]}"
    elif form == 2:
        v = full_width(v)
    elif form == 3:
        v = v.lower() if v.endswith("X") else f"{v[:6]}-{v[6:14]}-{v[14:]}"
    elif form == 4:
        v = f"{v[:3]} {v[3:6]} {v[6:10]} {v[10:14]} {v[14:]}"
    return label("resident_id", v)


def _mobile(rng: random.Random) -> Piece:
    v = make_mobile(rng, _MOBILE)
    form = rng.randrange(6)
    if form == 1:
        v = f"{v[:3]}-{v[3:7]}-{v[7:]}"
    elif form == 2:
        v = f"{v[:3]} {v[3:7]} {v[7:]}"
    elif form == 3:
        v = f"+86 {v}"
    elif form == 4:
        v = full_width(v)
    elif form == 5:
        v = f"+86-{v[:3]}-{v[3:7]}-{v[7:]}"
    return label("mobile", v)


def _landline(rng: random.Random) -> Piece:
    area = rng.choice(("0571", "025", "0551", "027", "0371", "0531"))
    local = digits(rng, 8 if len(area) == 3 else rng.choice((7, 8)), "2345678")
    form = rng.randrange(4)
    if form == 0:
        v = f"{area}-{local}"
    elif form == 1:
        v = f"({area}){local}"
    elif form == 2:
        v = f"{area}-{local}转{rng.randint(100, 8999)}"
    else:
        v = f"{area} {local[:4]} {local[4:]}"
    return label("landline", v)


def _email(rng: random.Random) -> Piece:
    at = "＠" if rng.random() < 0.3 else "@"
    return label("email", f"{rng.choice(POOLS['mailbox'])}{at}{rng.choice(POOLS['maildomain'])}")


def _card(rng: random.Random) -> Piece:
    v = make_card(rng, _BINS)
    if rng.random() < 0.6:
        v = " ".join(v[i : i + 4] for i in range(0, len(v), 4))
    return label("bank_card", v)


_PROV = "浙苏皖鄂豫鲁"
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _plate(rng: random.Random) -> Piece:
    head = rng.choice(_PROV) + rng.choice("ABCDEFG")
    if rng.random() < 0.35:  # new-energy: D or F and five digits
        v = head + rng.choice("DF") + digits(rng, 5, "0123456789")
    else:
        tail = rng.choice(_LETTERS) + digits(rng, 4, "0123456789")
        v = head + rng.choice(("", "·", " ")) + tail
    return label("plate", v)


def _passport(rng: random.Random) -> Piece:
    return label("passport", "E" + digits(rng, 8, "0123456789"))


def _permit(rng: random.Random) -> Piece:
    form = rng.randrange(3)
    if form == 0:  # 港澳通行证
        return label("permit", "C" + rng.choice(_LETTERS) + digits(rng, 7, "0123456789"))
    if form == 1:  # 回乡证
        return label("permit", rng.choice("HM") + digits(rng, 8, "0123456789"))
    return label("permit", digits(rng, 8))  # 台胞证


def _wechat(rng: random.Random) -> Piece:
    return label("wechat", rng.choice(POOLS["wechat"]))


def _qq(rng: random.Random) -> Piece:
    return label("qq", digits(rng, rng.randint(6, 10)))


def _case(rng: random.Random) -> Piece:
    y = rng.randint(2022, 2026)
    form = rng.randrange(3)
    if form == 0:
        v = f"（{y}）浙0106民初{rng.randint(100, 19999)}号"
    elif form == 1:
        v = f"杭西劳人仲案字〔{y}〕第{rng.randint(10, 999)}号"
    else:
        v = f"({y})苏0106民调{rng.randint(1, 999)}号"
    return label("case_no", v)


def _vin(rng: random.Random) -> Piece:
    return label("vin", make_vin(rng, _WMI))


def _hospital(rng: random.Random) -> Piece:
    return label("hospital_no", "ZY" + digits(rng, 9, "0123456789"))


def _uscc(rng: random.Random) -> Piece:
    return label("uscc", make_uscc(rng, ("91", "92", "52"), _AREAS[:6]))


def _date(rng: random.Random) -> Piece:
    y, m, d = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
    form = rng.randrange(3)
    v = (f"{y}年{m}月{d}日", f"{m}月{d}号", f"{y}-{m:02d}-{d:02d}")[form]
    return label("date", v)


def _amount(rng: random.Random) -> Piece:
    form = rng.randrange(3)
    if form == 0:
        v = f"{rng.randint(2, 300) * 100}元"
    elif form == 1:
        v = f"{rng.randint(1, 30)}.{rng.randint(1, 9)}万元"
    else:
        v = f"{rng.randint(10, 999)}块"
    return label("amount", v)


SLOTS: dict[str, Maker] = {
    "full": _full,
    "titled": _titled,
    "given": _given,
    "ethnic": _ethnic,
    "names": _names,
    "mou": _mou,
    "addr": _address,
    "rid": _rid,
    "mob": _mobile,
    "tel": _landline,
    "mail": _email,
    "card": _card,
    "plate": _plate,
    "passport": _passport,
    "permit": _permit,
    "wx": _wechat,
    "qq": _qq,
    "case": _case,
    "vin": _vin,
    "zy": _hospital,
    "uscc": _uscc,
    "date": _date,
    "amt": _amount,
    "company": lambda rng: (rng.choice(POOLS["company"]), []),
    "platform": lambda rng: (rng.choice(POOLS["platform"]), []),
}

# --- genres -------------------------------------------------------------------------------

GENRES: dict[str, Genre] = {
    "hotline": Genre(
        templates=(
            "市民来电：我是{titled}，住{addr}，楼上天天半夜剁东西，吵得孩子睡不着，回拨号码{mob}。",
            "话务员：请问怎么称呼？来电人：{full}，名字就是身份证上那个。话务员：您反映的地址是？来电人：{addr}。",
            "来电人称{date}在{addr}门口被一辆车牌{plate}的电动车撞倒，对方骑车跑了。",
            "诉求人{full}（身份证{rid}）反映，其在{company}工作期间被拖欠工资{amt}，要求协调。",
            "工单备注：来电人不愿留全名，只说是{titled}，座机{tel}，要求上门核实。",
            "来电人反映小区门口烧烤摊油烟大，摊主叫{given}，大家都认识，已多次劝说无果。",
            "转办意见：请属地街道联系诉求人{full}（{mob}）并于三个工作日内回复。",
            "来电人说对面那家的{mou}经常把垃圾扔在楼道里，希望有人管一管。",
        ),
        clean=(
            "本工单已转至区城管局，承办单位应在规定时限内办结。",
            "来电人对答复表示基本满意，同意办结。",
            "话务员告知来电人，该问题属于民事纠纷，建议通过诉讼途径解决。",
            "因诉求不属于本热线受理范围，已建议来电人拨打110报警。",
            "回访时电话无人接听，系统将于次日再次回访。",
        ),
        joiner="\n",
    ),
    "wuye": Genre(
        templates=(
            "【{addr}】{titled}：电梯又坏了，困了半小时，物业人呢？",
            "物业管家{full}：各位业主好，明天上午九点到十一点停水，有问题加我微信{wx}。",
            "{titled}：谁家的车{plate}堵在消防通道了，麻烦挪一下！",
            "物业客服中心：报修请拨{tel}，夜间值班{titled}，手机{mob}。",
            "业主{full}：物业费我交了{amt}，发票到现在没给，收据编号都没有。",
            "群公告：{date}起，装修需到物业登记，押金{amt}，联系人{titled}，电话{mob}。",
            "{given}妈妈：有没有人捡到一只橘猫，我家在{addr}，谢谢大家！",
            "@{full} 你家漏水把我家天花板泡了，今晚必须来看一下",
            "业委会成员：{names}，欢迎大家监督。",
        ),
        clean=(
            "大家注意一下，最近有陌生人在地下车库推销，不要开门。",
            "快递柜已经满了，师傅说下午再来补投。",
            "今晚八点业委会在会所二楼开会，欢迎业主旁听。",
            "请各位业主不要高空抛物，这是违法行为。",
            "垃圾分类督导员每天早上七点到九点在岗。",
        ),
        joiner="\n",
    ),
    "tiaojie": Genre(
        templates=(
            "甲方：{full}，身份证号码：{rid}，住址：{addr}。",
            "乙方：{full}，联系电话：{mob}，住址：{addr}。",
            "经调解，乙方同意于{date}前一次性赔偿甲方医疗费、误工费共计{amt}。",
            "款项汇入甲方账户：开户行农业银行，卡号{card}，户名{full}。",
            "本协议经双方签字后生效。调解员：{full}    记录人：{titled}",
            "争议事项：双方因{addr}房屋漏水发生纠纷，乙方系楼上住户。",
            "见证人：{names}",
            "参照{case}案件的处理结果，双方自愿达成如下协议。",
        ),
        clean=(
            "本协议一式三份，双方当事人各执一份，人民调解委员会留存一份。",
            "双方当事人自愿达成协议，不存在欺诈、胁迫情形。",
            "依照《中华人民共和国人民调解法》第三十一条，本协议具有法律约束力。",
            "当事人可以自协议生效之日起三十日内共同向人民法院申请司法确认。",
            "协议履行完毕后，双方就此事再无其他争议。",
        ),
        joiner="\n",
    ),
    "laodong": Genre(
        templates=(
            "申请人：{full}，性别男，{date}出生，公民身份号码{rid}，现住{addr}，电话{mob}。",
            "被申请人：{company}，统一社会信用代码{uscc}，法定代表人{full}。",
            "申请人于{date}入职被申请人处，任配送员，月工资{amt}，工资通过{card}发放。",
            "主管{titled}口头通知申请人第二天不用来上班，未出具任何书面手续。",
            "请求事项：一、裁决被申请人支付违法解除劳动合同赔偿金{amt}；二、支付拖欠工资{amt}。",
            "证人{full}系申请人同事，可证明加班事实，联系方式{mob}。",
            "申请人电子邮箱{mail}，可接收仲裁文书。",
            "本案曾以{case}立案，后申请人撤回。",
        ),
        clean=(
            "此致 杭州市西湖区劳动人事争议仲裁委员会",
            "根据《劳动合同法》第八十七条，用人单位违法解除劳动合同的，应当支付赔偿金。",
            "申请人提交的证据包括考勤记录、工资流水及微信聊天截图。",
            "仲裁时效为一年，从当事人知道其权利被侵害之日起计算。",
            "被申请人应当在收到申请书副本之日起十日内提交答辩书。",
        ),
        joiner="\n",
    ),
    "waimai": Genre(
        templates=(
            "投诉{platform}骑手：{date}中午点的餐，骑手{titled}送到{addr}时汤全洒了，还态度恶劣。",
            "订单备注写了放门口，结果快递员打我电话{mob}说放驿站了，驿站在{addr}，我根本不在家。",
            "我的收件人是{full}，手机{mob}，地址{addr}，包裹显示已签收但我没收到。",
            "快递员{given}说丢件只赔{amt}，我买的东西值{amt}，要求平台介入。",
            "退款请打到我的银行卡{card}，或者微信{wx}直接转也行。",
            "商家客服{titled}让我加QQ{qq}私下处理，我拒绝了，又打了{platform}客服{tel}。",
            "配送员工号对应的姓名是{full}，车牌{plate}，请平台核实。",
        ),
        clean=(
            "平台已收到您的投诉，将在四十八小时内给您答复。",
            "为保护隐私，骑手和顾客的电话均为虚拟号码。",
            "如对处理结果不满意，可申请转人工客服复核。",
            "超时赔付红包已发放至您的账户，请注意查收。",
            "天气原因导致配送延迟，敬请谅解。",
        ),
        joiner="",
    ),
    "ocr": Genre(
        templates=(
            "姓名 {full} 性别 女 民族 维吾尔 住址 {addr} 公民身份号码 {rid}",
            "联系人：{ethnic}  电话：{mob}  邮箱：{mail}  单位电话：{tel}",
            "车辆识别代号 {vin}  号牌号码 {plate}  所有人 {full}",
            "住院号：{zy}  患者：{full}  入院日期：{date}",
            "护照号码 {passport}  持证人 {ethnic}  通行证号码 {permit}",
            "收款人 {full} 账号 {card} 金额 {amt}",
            "当事人 {mou} 与 {full} 签订的协议原件见附件",
        ),
        clean=(
            "第 2 页 共 5 页",
            "（以下无正文）",
            "本复印件与原件一致，仅供办理诉讼使用。",
            "扫描件如有模糊之处，以原件为准。",
        ),
        joiner="  ",
    ),
}

#: Every template of this half (none is in the report half).
TEMPLATES: tuple[str, ...] = tuple(t for g in GENRES.values() for t in g.templates)


def _damage(doc: Doc, rng: random.Random) -> Doc:
    """An OCR scan: a stray space after some characters, inside values too."""
    text, spans = doc
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        where.append(len("".join(out)))
        out.append(ch)
        if ch != " " and i + 1 < len(text) and rng.random() < 0.07:
            out.append(" ")
    new = "".join(out)
    moved = []
    for s in spans:
        a, b = where[s.start], where[s.end - 1] + 1
        moved.append(Span(a, b, s.kind, new[a:b]))
    return new, moved


def corpus(n: int, seed: int = SEED) -> list[Doc]:
    """``n`` generated documents of this half's genres in turn; every OCR document is
    damaged with stray spaces."""
    docs = build(GENRES, SLOTS, n, seed)
    rng = random.Random(seed + 1)
    names = list(GENRES)
    return [_damage(d, rng) if names[i % len(names)] == "ocr" else d for i, d in enumerate(docs)]


# --- hand-written texts, a few per genre -------------------------------------------------

_ID1 = with_id_check("41162319850612347")
_ID2 = with_id_check("34142219760930218")
_ID3 = with_id_check("42102319920101556")
_CARD1 = with_luhn("622848031245778")
_CARD2 = with_luhn("621700210098123456")
_USCC1 = uscc_of("91", "330106", "MA27XK3P")
_VIN1 = with_vin_check("LSVAU2180N2156734")

_SOURCES: tuple[str, ...] = (
    # hotline
    "来电人：喂，12345吗？我是«address|金色家园7幢2单元1102室»的，我姓«name|眭»，"
    "楼下那个«name|亢»老板开的麻将馆天天搞到两点。话务员：好的«name|眭»女士，"
    "您的回拨电话是这个号码吗？来电人：对，«mobile|186 5713 2290»。",
    "工单号略。来电人«name|公孙丽娟»称，其母«name|王凤英»（身份证«resident_id|"
    f"{_ID1[:6]} {_ID1[6:14]} {_ID1[14:]}»）在«address|河南省商水县黄寨镇李庄村三组»的"
    "低保被取消，村干部«name|李德福»说是上面定的，来电人要求查明原因。",
    "话务员：您说的是哪个路段？来电人：«address|杭州市西湖区文三路478号»门口，"
    "井盖没了，晚上黑灯瞎火的。话务员：好的，会转给城管，请保持电话«landline|0571-8802 6631»畅通。",
    # wuye
    "【«address|翡翠城»业主3群】\n«name|笪»姐：15幢的热水又停了\n物业«name|赵春生»：马上派人，"
    "维修«name|吴»师傅电话«mobile|158-6712-0034»\n«name|笪»姐：上次也是这么说的",
    "@全体成员 «address|阳光水岸11幢3单元602室»的业主请尽快挪车，车牌«plate|浙A·K3927»，"
    "挡住救护车了！！联系不上本人，谁认识帮忙打一下",
    "业主«name|阿依努尔·沙吾提»：我家在«address|香樟苑3幢1单元201室»，楼上空调外机漏水，"
    "找了«name|厍»经理三次了，他说不归他管",
    # tiaojie
    "人民调解协议书\n甲方：«name|黄建军»，男，«date|1976年9月30日»生，公民身份号码"
    f"«resident_id|{_ID2}»，住«address|安徽省寿县瓦埠镇东岗村5组17号»。\n乙方：«name|逯秀兰»，女，"
    "住同村。\n纠纷事实：乙方家的狗咬伤甲方，甲方花去医疗费«amount|3260元»。",
    "经调解，乙方于«date|2026年1月15日»前支付甲方«amount|5000元»，汇入甲方"
    f"«bank_card|{' '.join(_CARD1[i : i + 4] for i in range(0, 16, 4))}»。\n调解员：«name|钟离志强»"
    "  甲方：«name|黄建军»  乙方：«name|逯秀兰»",
    # laodong
    "劳动仲裁申请书\n申请人：«name|蒯晓东»，男，汉族，身份证号«resident_id|"
    f"{_ID3[:6]}-{_ID3[6:14]}-{_ID3[14:]}»，住«address|湖北省监利县朱河镇河湾村8组23号»，"
    "手机«mobile|+86 177 0271 5563»。\n被申请人：杭州速达配送有限公司，统一社会信用代码"
    f"«uscc|{_USCC1}»。",
    "事实与理由：申请人自«date|2023年3月»起在被申请人处做外卖配送，站长«name|闻人宏伟»每月"
    "克扣«amount|800元»「管理费」，工资打到申请人的«bank_card|"
    f"{_CARD2}»。申请人邮箱«email|kuaixd＠163.com»。",
    # waimai
    "美团客服您好，我«date|12月1号»晚上点的外卖，地址«address|南京市鼓楼区中山北路219号»，"
    "骑手«name|张»师傅打电话«mobile|１３７１２０４５５６８»骂我，录音我都有，要求处理。",
    "顺丰快递员«name|周国庆»把我的件放在«address|锦绣花苑8幢»楼下就走了，丢了一台相机"
    "价值«amount|6800元»。我的微信«wechat|wxid_h7q2m1»，QQ«qq|30874291»。",
    # ocr
    "姓 名 «name|热依拉·吐 尔逊» 性 别 女 民 族 维吾尔\n住 址 «address|新疆维吾尔自治区"
    "乌鲁木齐市天山区和平南路 112 号» 车辆识别代号 «vin|"
    f"{_VIN1[:8]} {_VIN1[8:]}»",
    "护 照 号 码 «passport|E 8702 1394» 港澳通行证 «permit|C M2790 316»\n"
    "住 院 号 «hospital_no|ZY 2026 0193 47» 患 者 «name|詹 姆斯·史密斯»",
    "案 号 «case_no|（2025）浙 0106 民初 7731 号» 原告 «name|陈 玉梅» 被告 «name|杨 斌»",
)

#: The tuning half's hand-written texts, each with its gold spans.
HANDWRITTEN: list[Doc] = [marked(s) for s in _SOURCES]

#: Sentences with no personal data, though some look as if they might carry some.
CLEAN: tuple[str, ...] = (
    *(c for g in GENRES.values() for c in g.clean),
    "杭州市西湖区人民法院立案庭位于一楼大厅东侧。",
    "文三路派出所的值班电话请查询公安局官网。",
    "南京市中级人民法院二审维持原判。",
    "根据《民法典》第一千一百六十五条，行为人因过错侵害他人民事权益应当承担侵权责任。",
    "地铁2号线末班车延后半小时。",
    "王府井百货今年国庆不打烊。",
    "黄山风景区门票实行淡旺季价格。",
)
