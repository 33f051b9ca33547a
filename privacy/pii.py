"""Chinese personal-information detection in free text.

``find_pii(text)`` answers non-overlapping :class:`Span` s, ``scrub(text)`` replaces each
with a placeholder such as 〔身份证号〕. Detection is rule based: precompiled regular
expressions, validated with the check digits where a format has them (GB 11643 resident
IDs, GB 32100 credit codes, Luhn for bank cards), and a surname list with context cues for
person names. Precision and recall are measured on a generated, labelled corpus in
``tests/unit/test_privacy_pii.py``.

Kinds and their placeholders are in :data:`PLACEHOLDERS`. ``number`` is the fail-safe for
long digit runs (15 or more digits) that match no known format: they are scrubbed too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import date
from typing import NamedTuple

__all__ = [
    "KINDS",
    "PLACEHOLDERS",
    "Span",
    "find_pii",
    "is_resident_id",
    "is_uscc",
    "luhn_ok",
    "scrub",
]


class Span(NamedTuple):
    start: int
    end: int
    kind: str
    text: str


PLACEHOLDERS: dict[str, str] = {
    "resident_id": "〔身份证号〕",
    "uscc": "〔统一社会信用代码〕",
    "mobile": "〔手机号〕",
    "landline": "〔电话〕",
    "email": "〔邮箱〕",
    "bank_card": "〔银行卡号〕",
    "plate": "〔车牌号〕",
    "number": "〔号码〕",
    "date": "〔日期〕",
    "amount": "〔金额〕",
    "address": "〔地址〕",
    "name": "〔姓名〕",
}
KINDS = tuple(PLACEHOLDERS)
# Higher wins when two candidate spans overlap.
_PRIORITY = {
    "resident_id": 10,
    "uscc": 10,
    "email": 10,
    "bank_card": 9,
    "mobile": 9,
    "landline": 8,
    "plate": 8,
    "number": 7,
    "date": 6,
    "amount": 6,
    "address": 5,
    "name": 4,
}

# ---------------------------------------------------------------------------------
# Check digits
# ---------------------------------------------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_CHARS)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_TO_ASCII = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")


def _real_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def is_resident_id(text: str) -> bool:
    """18-digit GB 11643 number with a valid check digit and birth date, or an old
    15-digit number with a valid birth date (19YYMMDD)."""
    s = text.translate(_TO_ASCII).upper()
    if len(s) == 18 and s[:17].isdigit():
        total = sum(int(c) * w for c, w in zip(s, _ID_WEIGHTS, strict=False))
        if _ID_CHECK[total % 11] != s[17]:
            return False
        return _real_date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    if len(s) == 15 and s.isdigit():
        return _real_date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))
    return False


def is_uscc(text: str) -> bool:
    """Unified social credit code (统一社会信用代码) with a valid GB 32100 check character."""
    s = text.upper()
    if len(s) != 18 or any(c not in _USCC_VALUE for c in s):
        return False
    total = sum(_USCC_VALUE[c] * w for c, w in zip(s, _USCC_WEIGHTS, strict=False))
    return _USCC_CHARS[(31 - total % 31) % 31] == s[17]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i & 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# ---------------------------------------------------------------------------------
# Structured identifiers
# ---------------------------------------------------------------------------------
# Every pattern starts with a character class or a literal, so that the regex engine
# skips to candidate positions at C speed; the "not preceded by" checks come right after
# the first character (``_NB1``) instead of before it.
_NB1 = r"(?<![0-9A-Za-z０-９].)"  # the character before the first one is not alphanumeric
_NA = r"(?![0-9A-Za-z０-９])"  # not followed by an alphanumeric
_ND = r"(?![0-9０-９])"
_DIGITS_ONLY = re.compile(r"\D+")

_ID18 = re.compile(r"[1-9]" + _NB1 + r"\d{16}[\dXxＸｘ]" + _NA)
_ID15 = re.compile(r"[1-9]" + _NB1 + r"\d{14}" + _NA)
_USCC_CLASS = "[0-9A-HJ-NPQRTUWXY]"
_USCC = re.compile(_USCC_CLASS + _NB1 + _USCC_CLASS + r"\d{6}" + _USCC_CLASS + "{10}" + _NA)
_MOBILE_BODY = r"1[3-9]\d(?:\d{8}|[\s-]\d{4}[\s-]\d{4})" + _ND
_MOBILE = re.compile(
    r"1(?<![0-9０-９].)(?=[3-9])\d\d(?:\d{8}|[\s-]\d{4}[\s-]\d{4})"
    + _ND
    + r"|(?:\+|00)86[\s-]?"
    + _MOBILE_BODY
    + r"|\(\+?86\)\s?"
    + _MOBILE_BODY
    + r"|8(?<![0-9０-９].)6[\s-]?"
    + _MOBILE_BODY
)
_LANDLINE_TAIL = r"[2-9]\d{6,7}(?:(?:-|转|ext\.?)\d{1,5})?" + _ND
_LANDLINE = re.compile(
    r"\+86[\s-]?\d{2,3}[\s-]?"
    + _LANDLINE_TAIL
    + r"|0(?<![0-9０-９].)\d{2,3}[\s-]?"
    + _LANDLINE_TAIL
    + r"|[(（]0\d{2,3}[)）]\s?"
    + _LANDLINE_TAIL
)
_LANDLINE_CUED = re.compile(r"(?:电话|座机|固话|传真)[:：\s]*([2-9]\d{7})" + _ND)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_CARD = re.compile(r"\d" + _NB1 + r"\d{3}(?:[\s-]?\d{4}){3}(?:[\s-]?\d{1,3})?" + _NA)
_LONG_NUMBER = re.compile(r"\d" + _NB1 + r"\d{14,}" + _NA)
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# The issuing-authority letter skips I only: O is the police's in many provinces (琼O-79691).
_PLATE = re.compile(
    r"[" + _PROVINCES + r"][A-HJ-Z][·•.\-\s]?[A-HJ-NP-Z0-9]{5,6}(?:挂|学|警|港|澳)?"
    r"(?![A-Za-z0-9])"
)

# ---------------------------------------------------------------------------------
# Dates and amounts
# ---------------------------------------------------------------------------------
_CN_DIGIT = "〇零一二三四五六七八九"
_DATE = re.compile(
    r"\d(?<!\d.)\d{3}\s?年\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?[日号])?"
    r"|[12](?<!\d.)[09]\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])(?!\d)"
    r"|\d(?<![\d.].)\d?\s?月\s?\d{1,2}\s?[日号]"
    r"|[" + _CN_DIGIT + r"]{4}年[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}[日号])?"
)
_CN_NUM = "零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_AMOUNT_UNIT = r"(?:万元|亿元|千元|余元|多元|元|万|块钱|块)"
_NUM = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
_CN_NUM_CLASS = f"[{_CN_NUM}]"
_AMOUNT = re.compile(
    rf"(?:人民币|RMB|CNY|¥|￥)\s?{_NUM}(?:\s?{_AMOUNT_UNIT})?"
    rf"|\d(?<![\d,，.].)\d*(?:[,，]\d{{3}})*(?:\.\d+)?\s?{_AMOUNT_UNIT}"
    rf"|{_CN_NUM_CLASS}(?<!{_CN_NUM_CLASS}.){_CN_NUM_CLASS}{{0,11}}(?:万元|元整|元|块钱)"
)

# ---------------------------------------------------------------------------------
# Addresses
# ---------------------------------------------------------------------------------
_HAN = r"\u4e00-\u9fff"
# Characters that do not occur inside place names but often just before one.
_ADDR_STOP = "住在于位址的是与到从向及经被称为了至往去来前后时对给把将并而或其该此系、"


def _han_except(chars: str) -> str:
    """A character class of the CJK unified ideographs minus ``chars`` (as ranges, so
    the regex engine tests it in one step)."""
    excluded = sorted({ord(c) for c in chars if "\u4e00" <= c <= "\u9fff"})
    ranges: list[str] = []
    lo = 0x4E00
    for cp in [*excluded, 0xA000]:
        if cp > lo:
            ranges.append(f"{chr(lo)}-{chr(cp - 1)}" if cp - 1 > lo else chr(lo))
        lo = cp + 1
    return "[" + "".join(ranges) + "]"


_ADDR_CHAR = _han_except(_ADDR_STOP)
_ADDR_UNIT = (
    r"(?:[\d一二三四五六七八九十百零〇]+(?:号楼|号院|号|弄|支弄|栋|幢|座|单元|室|层|楼|组|户|栋楼)"
    r"|[A-Za-z]座|[A-Za-z]?\d+室?)"
)
_ADDRESS_CORE = re.compile(
    r"(?:大道|公路|路|街|巷|弄|村|胡同|镇|小区|花园|新村|公寓|大厦|广场|中心)"
    rf"(?:\s?{_ADDR_UNIT})+"
)
_ADDR_BACK = 24  # at most this many place-name characters before the road keyword
_ADDR_STOPSET = frozenset(_ADDR_STOP)


def _addresses(text: str, out: list[_Candidate]) -> None:
    for m in _ADDRESS_CORE.finditer(text):
        start = m.start()
        limit = max(0, start - _ADDR_BACK)
        while start > limit:
            ch = text[start - 1]
            if not ("\u4e00" <= ch <= "\u9fff") or ch in _ADDR_STOPSET:
                break
            start -= 1
        if start < m.start():  # a bare "路12号" with no name before it is not an address
            out.append((start, m.end(), "address"))


# ---------------------------------------------------------------------------------
# Person names
# ---------------------------------------------------------------------------------
_SINGLE_SURNAMES = (
    "王李张刘陈杨黄吴赵周徐孙马朱胡林郭何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜"
    "苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺"
    "顾毛郝龚邵万钱严赖覃洪武莫孔汤向常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧"
    "耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍"
    "华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏"
    "宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈"
    "匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖"
    "练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘"
    "亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利呼居揭干但尉冶斯元束檀衣信展"
    "阴昝智幸奉植衡富尧闭由蔚鄂晏汝竺隗邴糜蓬郦郗殳璩红励荀贝钮於"
)
_DOUBLE_SURNAMES_TEXT = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 "
    "令狐 钟离 澹台 南宫 端木 独孤 西门 百里 呼延 东郭 闻人 万俟 赫连 太史 "
    "申屠 公羊 濮阳 淳于 单于 公冶 宗政 拓跋 完颜 第五 亓官 司空 巫马 漆雕 "
    "乐正 壤驷 公良 梁丘 左丘 东门 谷梁 仲孙 羊舌"
)
_DOUBLE_SURNAMES = _DOUBLE_SURNAMES_TEXT.split()
SURNAMES = frozenset(_SINGLE_SURNAMES) | frozenset(_DOUBLE_SURNAMES)

# Characters that are (almost) never part of a given name: function words, verbs that
# follow a name, titles and kinship terms.
_GIVEN_STOP = (
    "的了是在和与及或并而但也都就又还很不没未已有无这那其他她它们我你您称说讲道问答要求向对被"
    "把将于为因由从到自给让请叫以之所等某该此每各个人先女士经理总老师傅律医同主任员工司机"
    "方面时候年日号万里上下前后内外间再已曾应能会得地着过吗呢吧啊去来出入起收付交签"
    "借欠还租买卖打骂伤赔偿申诉起诉调解纠纷协议合同公司单位法院"
)
_GIVEN = _han_except(_GIVEN_STOP)
_SURNAME_ALT = (
    "(?:"
    + "|".join(_DOUBLE_SURNAMES)
    + "|["
    + "".join(sorted(SURNAMES - set(_DOUBLE_SURNAMES)))
    + "])"
)
# What may follow a complete name.
_TITLES = (
    "先生|女士|小姐|老先生|老太太|总经理|经理|老师|师傅|律师|医生|护士|同志|主任|阿姨|大爷|大妈|老板|"
    "老伯|科长|处长|局长|院长|厂长|队长|组长|法官|警官|调解员|会计|店长|夫妇|一家|父子|母子|等人|等"
)
_FOLLOW_WORDS = (
    "发生|签订|签署|称|说|表示|认为|同意|拒绝|要求|承诺|答应|声称|主张|反映|投诉|申请|提出|提供|"
    "支付|拖欠|欠|借|租|购买|驾驶|骑|于|因|在|向|与|和|及|系|是|为|的|之间|家|所|已|未|多次|一直|"
    "至今|诉称|辩称|到场|签字|确认|委托|通过|无|不|没有|以|将|把|被|给|对|住|现住|居住|户籍|出生|"
    "身份证|联系|电话|手机|经营|名下|个人|本人|夫妻|作为|担任|也|均|共同|先后|当天|当日|再次"
)
_FOLLOW = rf"(?:[^{_HAN}]|$|{_TITLES}|{_FOLLOW_WORDS}|[{_CN_NUM}]+(?:元|万元|块))"
_CUES_BEFORE = (
    "被申请人|申请人|当事人|联系人|法定代表人|法人代表|委托代理人|代理人|负责人|经办人|调解员|"
    "承办人|签收人|借款人|出借人|担保人|保证人|出租人|承租人|租客|房东|业主|邻居|丈夫|妻子|前夫|前妻|"
    "儿子|女儿|父亲|母亲|哥哥|姐姐|弟弟|妹妹|员工|职工|同事|老板|司机|患者|医生|护士|律师|法官|"
    "经理|主任|店长|姓名|名叫|叫做|我和|我与|我跟|与|和|跟|同|向|对|找|由|让|请|委托|告诉|通知|"
    "雇佣|聘请|起诉|投诉|殴打|打伤|撞伤|借给|欠|及|、|劳动者|消费者|买受人|出卖人|受害人|家属|"
    "顾客|客户|租户|房客|住户|我叫|本人|支付|付给|赔偿|转账给|退还|交给|告知|催促|认定|判定"
)
_NAME_CUED = re.compile(
    rf"(?:{_CUES_BEFORE})[:：\s]*(?P<n>{_SURNAME_ALT}(?:{_GIVEN}{{2}}(?={_FOLLOW})|{_GIVEN}(?={_FOLLOW})|{_GIVEN}{{1,2}}))"
)
_SINGLE_CLASS = "[" + "".join(sorted(set(_SINGLE_SURNAMES))) + "]"
_DOUBLE_ALT = "(?:" + "|".join(_DOUBLE_SURNAMES) + ")"
_TITLE_AFTER = "(?=先生|女士|小姐|老师|师傅|经理|律师|医生|阿姨|老板|同志)"
# Each pattern starts with a character class or literals, so the regex engine skips
# quickly to candidate positions; compound surnames have their own patterns (a name
# found by both is resolved in favour of the longer span).
_NAME_TITLED = (
    re.compile(rf"{_SINGLE_CLASS}{_GIVEN}{{0,2}}?{_TITLE_AFTER}"),
    re.compile(rf"{_DOUBLE_ALT}{_GIVEN}{{0,2}}?{_TITLE_AFTER}"),
)
_NAME_FREE = (
    re.compile(
        rf"{_SINGLE_CLASS}(?<![{_HAN}].)(?:{_GIVEN}{{2}}(?={_FOLLOW})|{_GIVEN}(?={_FOLLOW}))"
    ),
    re.compile(
        rf"{_DOUBLE_ALT}(?<![{_HAN}]..)(?:{_GIVEN}{{2}}(?={_FOLLOW})|{_GIVEN}(?={_FOLLOW}))"
    ),
)
# Words that look like surname + given name but are not names.
_NOT_NAMES_TEXT = (
    "申请 对方 方面 和解 于是 高度 常年 时间 金额 安全 马上 林业 万元 双方 "
    "全部 全额 全家 平时 平台 国家 明确 明显 成功 成立 成本 华东 东方 南方 "
    "北方 西方 上海 包括 包装 车辆 车位 车库 房屋 房租 房产 房东 钱款 应当 "
    "应该 原告 原因 原来 原价 任何 管理 物业 关于 关系 司法 公司 公安 公证 "
    "公共 公开 公平 公寓 信息 信用 商品 商家 商户 商场 简单 经济 宁愿 尚未 "
    "尤其 相关 相应 相互 初步 门口 门店 门面 云南 容易 来往 都是 普通 广告 "
    "支付 支持 计算 索赔 宣传 晋升 陆续 金融 石材 白天 江苏 江西 温度 康复 "
    "施工 文件 文明 牛奶 齐全 易碎 乔迁 伍佰 庄园 章程 鲁莽 岳父 岳母 欧洲 "
    "关门 兰花 左右 甘心 包工 宁可 尚且 纪律 梅雨 童年 凌晨 毕业 单独 季度 "
    "成交 苗木 谷物 盛情 曲折 路口 路面 游戏 辛苦 管道 华为 时候 时期 司机 "
    "卓越 古代 吉祥 简易 车主 项目 连续 麦当 楚楚 席位 卫生 米饭 柏油 全款 "
    "全程 应付 应收 边界 师傅 和好 商量 沙发 荣誉 桑拿 仲裁 鞠躬 惠民 乐意 "
    "南京 班级 储存 原件 燕窝 劳动 劳务 皮肤 楼上 楼下 楼道 满意 闻讯 位置 "
    "海外 花费 权利 权益 强制 强烈 屠宰 豆腐 盖章 练习 廉价 井盖 祖传 巴士 "
    "丰富 支出 国内 平方 计划 宣称 相邻 初次 门卫 云端 容量 敬请 来电 都市 "
    "普遍 浦东 薄弱 危险 银行 公园 宾馆 利息 利益 居委 居民 居住 揭露 干预 "
    "但是 信任 展示 智能 幸好 富裕 由于 元旦 红色 贝壳 卜算 席卷 冷静 晏起 "
    "能否 甄别 敖包 明天 明日 明年 查看 查询 麻烦 官方 封闭 谈判 匡正 高额 "
    "高层 高价 高空 金山 宝山 松江 青浦 奉贤 崇明 黄浦 徐汇 长宁 静安 普陀 "
    "虹口 杨浦 闵行 嘉定 宁波 常州 苏州 杭州 温州 安徽 湖南 湖北 广东 广州 "
    "江南 吉林 黑龙 沈阳 武汉 成都 重庆 西安 小区 时效 时间段 向前 向后 和平 "
    "万一 于此 方便 方式 方法 方案 余额 余款 程序 程度 戴口 周末 周边 周围 "
    "周期 朱红 胡乱 林地 高速 罗列 郑重 梁柱 谢谢 宋体 唐突 许可 邓小 冯某 "
    "韩国 曹某 曾经 彭某 蔡某 潘某 田地 董事 袁某 叶子 蒋某 杜绝 苏醒 魏某 "
    "程某 吕某 丁某 沈某 任意 姚某 卢某 傅某 钟点 姜某 崔某 谭某 廖某 范围 "
    "汪某 陆地 金钱 石头 戴某 贾某 韦某 夏季 邱某 侯某 邹某 熊某 孟某 秦某 "
    "白色 江某 阎某 薛某 尹某 段落 雷某 黎明 史某 龙头 陶某 贺某 顾客 毛病 "
    "郝某 龚某 邵某 万某 钱某 严重 严格 赖某 洪水 武某 莫名 孔某 汤某 常常 "
    "温某 施某 文字 樊某 葛某 邢某 安装 安排 齐某 易某 乔某 庞大 颜色 倪某 "
    "庄某 章某 鲁某 岳某 翟某 殷某 詹某 申某 欧某 耿某 焦急 俞某 柳某 祝某 "
    "宁某 符合 舒服 阮某 柯某 纪某 梅某 童某 凌某 毕某 单位 季某 裴某 霍某 "
    "涂某 成为 苗某 谷某 盛某 曲某 翁某 冉某 骆某 蓝色 路过 游某 辛某 靳某 "
    "管某 柴某 蒙某 鲍某 华某 喻某 祁某 蒲某 房间 滕某 屈某 饶某 解决 解除 "
    "解释 艾某 尤某 阳台 阳光 时某 穆某 农村 农民 司某 卓某 古某 吉某 缪某 "
    "车上 车内 项某 连某 芦某 麦某 褚某 娄某 窦某 戚某 岑某 景某 党某 宫某 "
    "费用 卜某 冷某 晏某 席某 卫某 米某 柏某 宗某 瞿某 桂某 全某 佟某 应某 "
    "臧某 闵某 苟某 邬某 边某 卞某 姬某 师某 和某 仇某 栾某 隋某 商某 刁某 "
    "沙某 荣某 巫某 寇某 桑某 郎某 甄某"
)
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


_FOLLOW_START = re.compile(rf"[^{_HAN}]|{_TITLES}|{_FOLLOW_WORDS}")
_ORG_SUFFIX = re.compile(
    rf"[{_HAN}]{{0,8}}?(?:有限公司|有限责任公司|股份|公司|集团|商行|商店|超市|酒店|饭店|餐厅|工作室|"
    r"事务所|研究所|医院|诊所|学校|银行|物业|中心|委员会|协会|厂|店)"
)


def _keep_name(text: str, start: int, end: int, cued: bool) -> bool:
    name = text[start:end]
    if name[:2] in _NOT_NAMES or name[:3] in _NOT_NAMES:
        return False
    if cued and text[start - 1 : start + 1] in _NOT_NAMES:  # "对方" after the cue "对"
        return False
    # "被申请人毕博诚传媒有限公司": the start of an organisation's name, not a person's.
    if end < len(text) and _FOLLOW_START.match(text, end):
        return True
    return _ORG_SUFFIX.match(text, end) is None


# ---------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------
_Candidate = tuple[int, int, str]
_Detector = Callable[[str, list[_Candidate]], None]


def _id18(text: str, out: list[_Candidate]) -> None:
    for m in _ID18.finditer(text):
        s = m.group()
        if is_resident_id(s):
            out.append((m.start(), m.end(), "resident_id"))
        elif is_uscc(s.upper()):
            out.append((m.start(), m.end(), "uscc"))


def _id15(text: str, out: list[_Candidate]) -> None:
    for m in _ID15.finditer(text):
        if is_resident_id(m.group()):
            out.append((m.start(), m.end(), "resident_id"))


def _uscc(text: str, out: list[_Candidate]) -> None:
    for m in _USCC.finditer(text):
        if is_uscc(m.group()):
            out.append((m.start(), m.end(), "uscc"))


def _card(text: str, out: list[_Candidate]) -> None:
    for m in _CARD.finditer(text):
        digits = _DIGITS_ONLY.sub("", m.group())
        if 16 <= len(digits) <= 19 and luhn_ok(digits):
            out.append((m.start(), m.end(), "bank_card"))


def _landline(text: str, out: list[_Candidate]) -> None:
    out.extend((m.start(), m.end(), "landline") for m in _LANDLINE.finditer(text))
    out.extend((m.start(1), m.end(1), "landline") for m in _LANDLINE_CUED.finditer(text))


def _simple(pattern: re.Pattern[str], kind: str) -> _Detector:
    finditer = pattern.finditer

    def detect(text: str, out: list[_Candidate]) -> None:
        out.extend((m.start(), m.end(), kind) for m in finditer(text))

    return detect


def _names(text: str, out: list[_Candidate]) -> None:
    # Cued names: after a rejected candidate ("与顾客…") search again from the next
    # character, so that it does not hide the following cue ("顾客李楠").
    search = _NAME_CUED.search
    m = search(text)
    while m is not None:
        s, e = m.span("n")
        if _keep_name(text, s, e, True):
            out.append((s, e, "name"))
            m = search(text, e)
        else:
            m = search(text, m.start() + 1)
    for pattern in (*_NAME_TITLED, *_NAME_FREE):
        for m in pattern.finditer(text):
            s, e = m.span()
            if _keep_name(text, s, e, False):
                out.append((s, e, "name"))


_DETECTORS: tuple[tuple[str, _Detector], ...] = (
    ("0123456789０１２３４５６７８９", _id18),
    ("0123456789０１２３４５６７８９", _id15),
    ("0123456789", _uscc),
    ("0123456789０１２３４５６７８９", _card),
    ("0123456789０１２３４５６７８９", _simple(_MOBILE, "mobile")),
    ("0123456789０１２３４５６７８９", _landline),
    ("@", _simple(_EMAIL, "email")),
    ("0123456789", _simple(_LONG_NUMBER, "number")),
    (_PROVINCES, _simple(_PLATE, "plate")),
    ("0123456789年月" + _CN_DIGIT, _simple(_DATE, "date")),
    ("0123456789元万块¥￥币", _simple(_AMOUNT, "amount")),
    ("路街巷弄村同镇区园寓厦场心", _addresses),
    ("", _names),
)
_TRIGGERS = [(frozenset(chars), det) for chars, det in _DETECTORS]


def _resolve(cands: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping spans: on overlap the higher-priority kind wins, then the longer."""
    cands.sort(key=lambda c: (-_PRIORITY[c[2]], -(c[1] - c[0]), c[0]))
    starts: list[int] = []  # sorted starts of the taken spans
    ends: list[int] = []  # their ends, in the same order (taken spans never overlap)
    kinds: list[str] = []
    for s, e, kind in cands:
        i = bisect_right(starts, s)
        clash_left = i > 0 and ends[i - 1] > s
        clash_right = i < len(starts) and starts[i] < e
        if clash_left:
            continue
        if clash_right:
            if kind != "name" or starts[i] - s < 2:
                continue
            # "支付林静五千元": keep the name's head before the amount that took its tail.
            e = starts[i]
        starts.insert(i, s)
        ends.insert(i, e)
        kinds.insert(i, kind)
    return list(zip(starts, ends, kinds, strict=True))


def _candidates(text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    if not text:
        return out
    present = set(text) if len(text) < 4096 else None
    for chars, det in _TRIGGERS:
        if present is not None and chars and present.isdisjoint(chars):
            continue
        det(text, out)
    return out


def find_pii(text: str, kinds: Iterable[str] | None = None) -> list[Span]:
    """Personal data spans in ``text``, sorted, non-overlapping."""
    spans = _resolve(_candidates(text))
    wanted = None if kinds is None else frozenset(kinds)
    return [Span(s, e, k, text[s:e]) for s, e, k in spans if wanted is None or k in wanted]


def scrub(text: str, placeholders: dict[str, str] | None = None) -> str:
    """``text`` with every detected span replaced by its kind's placeholder."""
    if not text:
        return text
    spans = _resolve(_candidates(text))
    if not spans:
        return text
    marks = PLACEHOLDERS if placeholders is None else {**PLACEHOLDERS, **placeholders}
    parts: list[str] = []
    pos = 0
    for s, e, k in spans:
        parts.append(text[pos:s])
        parts.append(marks[k])
        pos = e
    parts.append(text[pos:])
    return "".join(parts)
