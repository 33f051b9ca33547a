"""Person names in free text: a surname list (the 百家姓 and rarer surnames, single and
compound) with context cues, since a Chinese name has no shape of its own. A name is
taken after a role cue ("被申请人", "联系人"), before a title or a word that follows names
("先生", "表示"), at the start of a clause, or as 老/小 and a surname; surnames that are
also common words ("水", "山") only right after a cue. Minority names are found written
with a middle dot, or without one after a role cue. The words of jieba's dictionary that
start with a surname (``privacy/common_words.txt``, written by scripts/common_words.py)
keep 付款, 相处 and 周一 from being taken for names.

``SURNAMES`` and ``WORD_SURNAMES`` are public: scripts/common_words.py reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from privacy.pii.dates_amounts import CN_NUM
from privacy.pii.patterns import (
    HAN,
    LONG_TEXT,
    Candidate,
    DetectorEntry,
    han_except,
    latin_stretches,
)

__all__ = ["DETECTORS", "SURNAMES", "WORD_SURNAMES"]

_Trie = dict[str, "_Trie"]


def _trie(words: Iterable[str]) -> str:
    """An alternation of `words` as a prefix tree ("申(?:请人|诉人)" rather than
    "申请人|申诉人"): the regex engine then tries one branch a character, not every word
    at every position; longer words are tried before their prefixes."""
    tree: _Trie = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = "|".join(branches)
        if "" in node:
            return f"(?:{body})?"
        return body if len(branches) == 1 else f"(?:{body})"

    return f"(?:{emit(tree)})"


_SINGLE_SURNAMES = (
    "王李张刘陈杨黄吴赵周徐孙马朱胡林郭何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜"
    "苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺"
    "顾毛郝龚邵万钱严赖覃洪武莫孔汤向常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧"
    "耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍"
    "华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏"
    "宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈"
    "匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖"
    "练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮普阙浦戈伏鹿薄邸雍辜羊阿乌母裘"
    "亓邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利呼居揭干但尉冶斯元束檀衣信展"
    "阴昝智幸奉植衡富尧闭由蔚鄂晏汝竺隗邴糜蓬郦郗殳璩红励荀贝钮於"
    # rarer surnames, none of them a common word on its own
    "肖付闫茆訾麴禤仉缑蹇逄佴郏沃汲弓牧宓仰钭韶蓟咸莘贡扶堵宰却寿庾暨厍毋乜蒯桓"
    # the rest of the 百家姓 that is no common word, and rare surnames of today
    "酆贲羿郤濮夔谯笪郈禚骞粘蒉郇靖剡隽妫凃冮郄庹邗"
    # surnames outside the 百家姓 still borne today (眭, 綦, 甯, 雒, 芈...)
    "眭綦甯雒芈苻仵啜缐琚郃淦鄞郯邶邳郅雎睢恽祢丘"
)
# Surnames that are also common words ("水", "山", "东"...): a name with one of them is
# taken only right after a cue ("被告水建国", "户名东方"); 都 is an adverb far more often
# than a surname ("号码都印在上面").
_WORD_SURNAMES = "水昌凤经滑家松山秋暴怀籍苍习宦鱼慎弘禄越融巢钦琴伯赏墨福黑种修都"
_DOUBLE_SURNAMES_TEXT = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 "
    "令狐 钟离 澹台 南宫 端木 独孤 西门 百里 呼延 东郭 闻人 万俟 赫连 太史 "
    "申屠 公羊 濮阳 淳于 单于 公冶 宗政 拓跋 完颜 第五 亓官 司空 巫马 漆雕 "
    "乐正 壤驷 公良 梁丘 左丘 东门 谷梁 仲孙 羊舌 "
    "南门 太叔 鲜于 闾丘 司寇 子车 颛孙 公西 夹谷 宰父 段干 归海 微生 丌官 "
    # compound surnames of the northern dynasties still borne today
    "贺兰 达奚 尔朱 斛律 乞伏 南郭 北宫 东里 叱干 公仪 叔孙 呼衍 纥奚"
)
_DOUBLE_SURNAMES = _DOUBLE_SURNAMES_TEXT.split()
SURNAMES = frozenset(_SINGLE_SURNAMES) | frozenset(_DOUBLE_SURNAMES)
WORD_SURNAMES = frozenset(_WORD_SURNAMES)


def _load_common_words() -> dict[str, str]:
    """Words of jieba's dictionary that start with a surname (or 小, 老) and are no name,
    with their part-of-speech tag (privacy/common_words.txt, written by
    scripts/common_words.py); a tag is marked "+" when the word is frequent (300 or more)."""
    try:
        text = (Path(__file__).parents[1] / "common_words.txt").read_text(encoding="utf-8")
    except OSError:  # the hand-written list below still holds
        return {}
    words = {}
    for line in text.splitlines():
        word, tag, freq = (*line.split(" "), "0")[:3]
        words[word] = tag + "+" if int(freq) >= _FREQUENT else tag
    return words


_FREQUENT = 300
_COMMON_WORDS = _load_common_words()
# Tags of words that no role cue is followed by as a name ("申请人付款", "被告同意"):
# verbs, adverbs, conjunctions, prepositions, pronouns, numerals, times, idioms.
_NOT_AFTER_CUE_TAGS = frozenset("vdcpurmqftliyz")
# Surnames that start no word of the dictionary (亓, 眭, 訾, 禚...): a name with one is
# hardly a word, and the surname alone singles a family out ("我姓亓").
RARE_SURNAMES = frozenset(_SINGLE_SURNAMES) - {w[0] for w in _COMMON_WORDS}

# Characters that are (almost) never part of a given name: function words, verbs that
# follow a name, titles and kinship terms.
_GIVEN_STOP = (
    "的了是在和与及或并而但也都就又还很不没未已有无这那其他她它们我你您称说讲道问答要求向对被"
    "把将于为因由从到自给让请叫以之所等某该此每各个人先女士经理总老师傅律医同主任员工司机"
    "方面时候年日号万里上下前后内外间再已曾应能会得地着过吗呢吧啊去来出入起收付交签"
    "借欠还租买卖打骂伤赔偿申诉起诉调解纠纷协议合同公司单位法院"
    "辆些系住址搜审撞砸踢摔偷抢骗坏停填写投哭倾控败"
)
_GIVEN = han_except(_GIVEN_STOP)
_SURNAME_ALT = (
    "(?:"
    + _trie(_DOUBLE_SURNAMES)
    + "|["
    + "".join(sorted(SURNAMES - set(_DOUBLE_SURNAMES)))
    + "])"
)
# What may follow a complete name.
_TITLES = (
    "先生|女士|小姐|老先生|老太太|总经理|经理|老师|师傅|律师|医生|护士|同志|主任|阿姨|大爷|大妈|老板|"
    "老伯|科长|处长|局长|院长|厂长|队长|组长|法官|警官|调解员|会计|店长|夫妇|一家|父子|母子|等人|等|"
    "客户|用户|会员"
)
_FOLLOW_WORDS = (
    "可|可以|携带|不服|不予|持|现居|暂住|名下|反映|女士|先生|处理|办理|来电|回复|未接|接听|"
    "发生|签订|签署|称|说|表示|认为|同意|拒绝|要求|承诺|答应|声称|主张|反映|投诉|申请|提出|提供|"
    "支付|拖欠|欠|借|租|购买|驾驶|骑|于|因|在|向|与|和|及|系|是|为|的|之间|家|所|已|未|多次|一直|由|"
    # ("王建国诉上海某公司": the plaintiff before 诉)
    "至今|诉称|辩称|诉|到场|签字|确认|委托|通过|无|不|没有|以|将|把|被|给|对|住|现住|居住|户籍|出生|"
    "身份证|联系|电话|手机|经营|名下|个人|本人|夫妻|作为|担任|也|均|共同|先后|当天|当日|再次|"
    # a name called by ("严亮你再不还钱") and what drivers do
    "你|他们|她们|开车|报警|银行存款|银行账户|银行卡"
)
_TITLES = _trie(_TITLES.split("|"))
_FOLLOW_WORDS = _trie(_FOLLOW_WORDS.split("|"))
_FOLLOW = rf"(?:[^{HAN}]|$|{_TITLES}|{_FOLLOW_WORDS}|[{CN_NUM}]+(?:元|万元|块))"
_CUES_BEFORE = (
    "我是|叫|转告|开户人|户名|车主|主治医生|医生|户主|收款人|付款人|当事人|联系|电话联系|"
    "转入|转给|汇给|支付给|同胞|居民|外籍|港澳|台湾|"
    "被申请人|申请人|当事人|联系人|法定代表人|法人代表|委托代理人|代理人|负责人|经办人|调解员|"
    "承办人|签收人|借款人|出借人|担保人|保证人|出租人|承租人|租客|房东|业主|邻居|丈夫|妻子|前夫|前妻|"
    "儿子|女儿|父亲|母亲|哥哥|姐姐|弟弟|妹妹|员工|职工|同事|老板|司机|患者|医生|护士|律师|法官|"
    "经理|主任|店长|姓名|名叫|叫做|我和|我与|我跟|与|和|跟|同|向|对|找|由|让|请|委托|告诉|通知|"
    "雇佣|聘请|起诉|投诉|殴打|打伤|撞伤|借给|欠|及|、|劳动者|消费者|买受人|出卖人|受害人|家属|"
    "顾客|客户|租户|房客|住户|我叫|本人|支付|付给|赔偿|转账给|退还|交给|告知|催促|认定|判定|"
    # court, call-centre and neighbourhood wording
    "原告|被告|上诉人|被上诉人|第三人|案外人|证人|被执行人|申请执行人|法定代理人|诉讼代理人|"
    "来电人|投诉人|反映人|举报人|求助人|收件人|寄件人|楼上|楼下|隔壁|对门|接电话的是|转接|"
    "老婆|老公|爱人|媳妇|儿媳|女婿|公公|婆婆|外婆|外公|奶奶|爷爷|孙子|孙女|侄子|外甥|"
    "人事|财务|会计|前台|主管|业务员|销售|声称|称|致电|回访|约谈|约见|询问|走访|拜访|提醒|联络|"
    "配偶|所有人|登记人|持有人|权利人|义务人|抄送给|抄送|发给|寄给|给|"
    "曾用名|真名|原名|化名|别名|本名|保安|保洁|门卫|店员|服务员|厨师|快递员|外卖员|骑手|"
    # kinship after a named person ("巩晓燕之夫池永强", "其子"), names asked for, and
    # officials named by their post ("民警", "书记员")
    "之夫|之妻|之子|之女|之父|之母|之兄|之弟|之姐|之妹|其夫|其妻|其子|其女|其父|其母|其兄|"
    "其弟|其姐|其妹|名字|名字叫|签名|署名|民警|辅警|警官|书记|村长|社工|网格员|工作人员|"
    "书记员|审判员|审判长|陪审员|记录员|执行员|教授|院长|校长|园长|护工|保姆|月嫂|大夫|医师|"
    "股东|合伙人|监护人|继承人|驾驶员|驾驶人|乘客|行人|对接人|介绍人|见证人|监理|"
    "答辩人|被答辩人|申诉人|被申诉人|被投诉人|被举报人|证明人|陪同人|受托人|委托人|买家|卖家|"
    "店主|摊主|雇主|包工头|工头|班长|领班|工友|室友|舍友|朋友|同学|战友|老乡|网友|亲戚|表哥|"
    "表姐|表弟|表妹|堂哥|堂姐|舅舅|叔叔|姑姑|嫂子|姐夫|妹夫|收件人|联系人|"
    # visitors, shopkeepers, parcels, letters and petitions, and the heads of units
    "来访人|来访者|服务对象|经营者|台胞|市民|村民|收货人|法人|具状人|代书人|持照人|持卡人|"
    "组长|队长|会长|站长|所长|科长|处长|局长|厂长|部长|行长|总监|村主任|主席|尊敬的|全名|"
    # arbitrators and staff by their duty, the parties of a contract, a plot's neighbours
    "仲裁员|首席仲裁员|安全员|值班员|管理员|保管员|仓管员|收银员|营业员|质检员|协管员|信息员|"
    "联络员|承租方|出租方|甲方|乙方|丙方|买方|卖方|委托方|受托方|东至|西至|南至|北至|"
    # the parties of a mediation or arbitration, and whose signature it is
    "申请方|被申请方|当事方|投诉方|被投诉方|签字人|签字为|签字是|主管签字|经手人|"
    # verbs whose object is a worker, and village officials
    "雇用|雇用过|雇佣过|聘用|聘用过|辞退|开除|解雇|干部|村干部"
)
# Cues that join words rather than name a role ("和", "通知"): a dictionary noun after
# one is that noun ("白酒和黄酒", "通知：车牌"), not a name, unless jieba calls it one.
_GENERIC_CUES_TEXT = (
    "与 和 跟 同 向 对 找 由 让 请 及 、 给 欠 告诉 通知 支付 付给 赔偿 转账给 退还 交给 告知 "
    "催促 提醒 联系 电话联系 联络 抄送 抄送给 发给 寄给 委托 起诉 投诉 殴打 打伤 撞伤 借给 转入 "
    "雇用 雇用过 雇佣过 聘用 聘用过 辞退 开除 解雇 "
    "转给 汇给 支付给 认定 判定 询问 走访 拜访 约谈 约见 致电 回访 称 声称 转告 雇佣 聘请 "
    "我和 我与 我跟 叫 名叫 叫做 东至 西至 南至 北至"
)
_GENERIC_CUES = frozenset(_GENERIC_CUES_TEXT.split())
# Cues that also start ordinary phrases ("是", "建议"): the name must be followed by a
# word that follows names (`_FOLLOW`).
_WEAK_CUES = "不是|是|建议|提醒|帮|替|陪|催|以及|或者|用"
# Cues so common that the name must be followed by a word that follows names or a stop
# ("问颜秀英是否", "当天曾宪文开车", "我端木静，"), after 的 by a word ("的慕容雪投诉",
# never "的高速公路", "无效的游标。"): a question put to someone, a chat's "我", times
# and links before a deed.
_STRICT_WEAK_CUES = "问|我|当天|当日|当晚|昨天|今天|前天|随后|后来|然后|事后|之后|的"
_WEAK_CUE_START = re.compile("[" + "".join({c[0] for c in _WEAK_CUES.split("|")}) + "]").search
_WEAK_CUES = _trie(_WEAK_CUES.split("|"))
_STRICT_WEAK_CUES = _trie(_STRICT_WEAK_CUES.split("|"))
_CUES_BEFORE = _trie(_CUES_BEFORE.split("|"))
_CUED_SURNAME_ALT = _SURNAME_ALT[:-2] + _WORD_SURNAMES + "])"
_CUE_AT_END = re.compile(rf"(?:{_CUES_BEFORE})[:：\s]*$")
_CUE_AT_START = re.compile(_CUES_BEFORE)
# Characters of Uyghur, Kazakh, Tibetan and Mongolian names written without a dot
# ("娜仁花", "巴特尔", "白玛央金"): after a role cue, three or more of them are a name.
_TRANSLIT = (
    "[阿艾爱买提古丽热依拉努尔汗江木力克吾斯曼迪娜沙麦合肉孜帕亚尼吐逊库班玉素甫哈别加娃扎夏米"
    "吉穆罕默德伊布赛排乃再则萨塔衣西卡巴图乌兰格日勒其宝音朝鲁额敖门根花仁达赖桑次旦多央金措"
    "白玛卓珍嘎旺堆曲顿珠平姆秋瓦泽那森呼和苏特乐娅莎丹妮齐琪雅慕都贡觉嘉益"
    # Tibetan names: 格桑梅朵, 次仁央宗, 索朗旺堆, 洛桑丹增, 强巴土登, 降央卓玛
    "梅朵宗索朗边洛增普群培强土登琼青美罗赤列欧降更仓决布云]"
)
# After the surname: a transliterated given name ("马麦麦提"), a name by birth order
# ("王老三"), or one or two characters of a given name.
_NAME_CUED = re.compile(
    rf"(?:{_CUES_BEFORE})(?:为|是)?[:：\s【】\[\]]*(?P<n>{_TRANSLIT}{{3,8}}(?={_FOLLOW})"
    rf"|{_CUED_SURNAME_ALT}(?:{_GIVEN}{{2}}(?={_FOLLOW})|{_GIVEN}(?={_FOLLOW})"
    rf"|{_TRANSLIT}{{3,5}}(?={_FOLLOW})|老[大二三四五六七八九十幺](?={_FOLLOW})|{_GIVEN}{{1,2}}))"
)
# (or be of three characters that are no dictionary word: "建议覃海波先行垫付").
_NAME_WEAK_CUED = re.compile(
    rf"(?:{_WEAK_CUES})(?P<n>{_SURNAME_ALT}"
    rf"(?:{_GIVEN}{{2}}(?={_FOLLOW})|{_GIVEN}(?={_FOLLOW})|{_GIVEN}{{2}}))"
)
# (the follower of these is checked in Python, which is cheaper than a lookahead at each
# of the many "的" before a surname character)
_NAME_STRICT_CUED = re.compile(rf"(?P<c>{_STRICT_WEAK_CUES})(?P<n>{_SURNAME_ALT}{_GIVEN}{{1,2}})")
_SINGLE_CLASS = "[" + "".join(sorted(set(_SINGLE_SURNAMES))) + "]"
_SINGLE_SET = frozenset(_SINGLE_SURNAMES)
_DOUBLE_ALT = _trie(_DOUBLE_SURNAMES)
_DOUBLE_SEARCH = re.compile(_DOUBLE_ALT).search
# (and posts, elders and kin: "王主任", "李建国大爷", "赵书记")
_TITLES_AFTER_TEXT = (
    "先生 女士 小姐 老师 师傅 经理 律师 医生 阿姨 老板 同志 主任 书记 警官 法官 科长 处长 "
    "局长 院长 校长 厂长 队长 组长 村长 大夫 教授 护士 大爷 大妈 大姐 大哥 奶奶 爷爷 阿婆 "
    # engineers and directors by their post ("肖总工程师将于本周")
    "总工程师 工程师 总工 总监 老汉 老太"
)
# Of these, the posts and kin added later: a surname alone before one must not be the
# end of a word ("保安队长", "维修主任", "由爷爷奶奶接送").
_POST_TITLES = frozenset(_TITLES_AFTER_TEXT.split()[11:])
_BEFORE_POST = frozenset("的是找问和与跟、请让叫给对向由被")
_TITLE_WORD = re.compile(_trie(_TITLES_AFTER_TEXT.split()))
# Each pattern starts with a character class or literals, so the regex engine skips
# quickly to candidate positions; compound surnames have their own patterns (a name
# found by both is resolved in favour of the longer span). Names before a title are found
# from the title (`_titled_names`).
_NAME_FREE = (
    re.compile(
        rf"{_SINGLE_CLASS}(?<![{HAN}].)(?:{_GIVEN}{{2}}(?={_FOLLOW})|{_GIVEN}(?={_FOLLOW}))"
    ),
    re.compile(rf"{_DOUBLE_ALT}(?<![{HAN}]..)(?:{_GIVEN}{{2}}(?={_FOLLOW})|{_GIVEN}(?={_FOLLOW}))"),
)
# A three-character name at the start of a clause, whatever follows ("，周建平推搡"):
# kept when neither the whole nor its first two characters is a dictionary word.
# (Found from the clause break, a rare character, rather than from each surname.)
_CLAUSE_BREAK = "，。；：！？,;:!?\\s"
_NAME_CLAUSE = re.compile(rf"(?:[{_CLAUSE_BREAK}]|^)(?P<n>{_SINGLE_CLASS}{_GIVEN}{{2}})")
# A surname called by with 老 or 小 ("老周，", "小刘说"), unless 老X / 小X is a frequent
# word (老师, 小时, 小区, 老公) or starts one (小商品).
# Nicknames of colours and sweets, not a surname: 小白, 小金, 小红, 小宝.
# 阿 calls by a surname too in the south ("阿邓他们"), but 阿公 is a grandfather.
_NICKNAMES = frozenset(["小" + c for c in "白黑红蓝绿紫金宝乐美甜明"] + ["阿公"])
_NAME_CALLED = re.compile(rf"[老小阿](?P<n>{_SINGLE_CLASS})(?={_FOLLOW})")
# ("小闻人，", "老钟离："; a compound surname called by)
_COMPOUND_CALLED = re.compile(rf"[老小](?P<n>{_DOUBLE_ALT})(?={_FOLLOW})")
# A child's name and a parent's word as a speaker's label at the start of a chat's line
# ("春华妈妈：", "子涵爸爸："): the two characters of the given name.
_PARENT_LABEL = re.compile(
    rf"(?:^|(?<=\n))(?P<n>{_GIVEN}{{2}})(?:妈妈|爸爸|妈|爸|奶奶|爷爷)[:：]", re.M
)
# A surname with a short title of address: "郜总家的狗", "亓姐他们", "冼叔你", "房东于总，";
# the title must end the word (not "高总额"), and surname and title must not be a word
# (师姐, 帅哥, 古董).
_SHORT_TITLES = "总|姐|叔|哥|婶|嫂|伯|董"
_AFTER_SHORT_TITLE = (
    rf"(?:[^{HAN}]|$|他们|她们|你|您|家|的|说|在|让|要|也|都|和|跟|与|是|又|还|已|不|没|"
    r"电话|手机|微信|那|这)"
)
# Found from the title (a rarer character than a surname), the surname read before it.
_SHORT_TITLE = re.compile(rf"[{_SHORT_TITLES.replace('|', '')}](?={_AFTER_SHORT_TITLE})")
# Three-character names right before a deed only a person does ("协议中鲁国栋同意"),
# whatever comes before them.
_DEEDS_TEXT = (
    "同意 表示 认为 声称 诉称 辩称 承诺 答应 拒绝 投诉 反映 主张 签字 到场 开车 驾驶 报警 起诉 "
    "打电话 受伤 离职 入职 辞职 去世 住院 出院 来访 签收 "
    # speech and what only a person does ("程卫东承认欠款", "当时孟庆华推搡我")
    "说 告诉 回答 解释 承认 否认 保证 强调 透露 提到 威胁 辱骂 推搡 动手 逃跑 失联 答复 作证 "
    "出庭 出面"
)
_DEEDS = _trie(_DEEDS_TEXT.split())
# (found from the deed, a rarer word than a surname is a character, the name read before it)
_DEED = re.compile(_DEEDS)
_GIVEN_STOP_SET = frozenset(_GIVEN_STOP)
# Names spelt in pinyin after their cue: "名字拼音是TANG LIMEI", "拼音 SU WANRONG".
# "我姓亓，", "免贵姓欧阳。": a surname told alone (kept when rare or compound).
_SURNAME_TOLD = re.compile(rf"姓({_SURNAME_ALT})(?=[^{HAN}]|$|的|是)")
_PINYIN_START = re.compile("[拼英姓Nn]").search
_PINYIN_NAME = re.compile(
    r"(?:拼音|英文名|英文名字|护照姓名|Name|NAME|name)(?:是|为|：|:|\s)*"
    r"([A-Z]{2,}(?:[ ,][A-Z]{2,}){1,2})(?![A-Za-z])"
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
    "沙某 荣某 巫某 寇某 桑某 郎某 甄某 "
    "那天 那里 那边 那些 那个 那时 那么 那样 那次 车停 车门 车窗 车身 车头 车尾 "
    "家属 家人 家里 家中 家长 家门 时需 时届 常见 但至 "
    "都行 都可 都有 都没 都在 都会 都要 都说 都不 都能 都得 黄梅 金桥 金山 金桂 欠费 迟延 敬礼 及时"
)
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_DOUBLE_SURNAME_SET = frozenset(_DOUBLE_SURNAMES)
# Compound surnames that are no word and end or start none in ordinary text (not 东方,
# 上官 of "登上官网", 钟离 of "五点钟离开", 长孙, 微生物, 闻人, 濮阳): one of them is a
# name wherever it stands ("你哥澹台明那辆车", "连万俟东的手机号", "老皇甫，"), with up
# to two characters of a given name, or alone.
_DISTINCT_COMPOUNDS_TEXT = (
    "欧阳 诸葛 皇甫 尉迟 慕容 司徒 夏侯 轩辕 令狐 澹台 端木 独孤 呼延 万俟 赫连 申屠 淳于 "
    "拓跋 完颜 亓官 巫马 壤驷 羊舌 丌官 斛律 宇文 闾丘 颛孙 达奚 乞伏 纥奚 叱干 呼衍"
)
_DISTINCT_COMPOUND = re.compile(rf"{_trie(_DISTINCT_COMPOUNDS_TEXT.split())}(?P<g>{_GIVEN}{{0,2}})")


_FOLLOW_START = re.compile(rf"[^{HAN}]|{_TITLES}|{_FOLLOW_WORDS}")
_FOLLOW_WORD = re.compile(rf"{_TITLES}|{_FOLLOW_WORDS}")
# An organisation's name runs up to its suffix without a verb or a function word in it:
# "被申请人毕博诚传媒有限公司" is a company, "欧阳志刚诉上海某科技公司" a person and a company.
_ORG_CHAR = han_except("的了是在和与及或并向对被把将给于为诉称说告欠让请找因由从到自已要")
_ORG_SUFFIX = re.compile(
    rf"{_ORG_CHAR}{{0,8}}?(?:有限公司|有限责任公司|股份|公司|集团|商行|商店|超市|酒店|饭店|餐厅|工作室|"
    r"事务所|研究所|医院|诊所|学校|银行|物业|中心|委员会|协会|厂|店)"
)


# Words of dispute text that a given name does not start with: "向双方", "对于违约金".
_GIVEN_WORDS_TEXT = (
    "双方 对方 各方 一方 他方 违约 协议 合同 调解 纠纷 赔偿 申请 工资 押金 房租 物业 维修 "
    "费用 公司 法院 律师 证据 材料 事实 理由 请求 诉讼 判决 裁定 仲裁 案件 当事 原告 被告 "
    "处理 解决 协商 沟通 联系 电话 情况 问题 时间 地点 现场 部分 全部 一次 多次 每月 本月 "
    "小区 大楼 社区 街道 村委 居委 市场 商场 超市 医院 学校 公园 广场 大厦 门口 楼下 楼上 "
    "部门 机关 方面 "
    # organisations ("农商行的") and pronouns ("祝大家新年平安")
    "商行 银行 集团 商店 酒店 饭店 餐厅 药店 诊所 大家 自己 我们 你们 他们 她们 咱们 各位 大伙"
)
_GIVEN_WORDS = frozenset(_GIVEN_WORDS_TEXT.split())


def _word_like(name: str) -> bool:
    """Whether a name found without a word after it may be a dictionary word or start
    with one ("周一上午", "黄金周", "宋庆龄故居"): then it is not taken."""
    surname = 2 if name[:2] in _DOUBLE_SURNAME_SET else 1
    if name in _COMMON_WORDS or name[: surname + 1] in _COMMON_WORDS:
        return True
    # "向劳动…": 劳动 is a verb, not a given name (海波 and 春梅 are nouns and names)
    given = _COMMON_WORDS.get(name[surname:])
    return given is not None and given[0] in _NOT_AFTER_CUE_TAGS


_PREPOSITION_SURNAMES = frozenset("向和由于")
_CUE_TAIL = "为是:： \t\n\r\f\v【】[]"
# After 于: a time or the court ("于本周", "于当日", "于庭审中"), not the surname 于.
_YU_TIME = frozenset("本今明次当每近该此上下前后庭")
# 第五 is an ordinal before a number or a counted thing ("第五十条", "第五次").
_PLACE_SUFFIX = frozenset("省市县区镇乡村路街")
_ORDINAL_AFTER = frozenset("十百千万条章节款项次名届天年月日个位期批号类种")


def _keep_name(
    text: str, start: int, end: int, cued: bool, generic: bool = False, label: bool = False
) -> bool:
    name = text[start:end]
    if name[0] == "于" and name[1:2] in _YU_TIME:
        return False
    if name[:2] == "第五" and text[start + 2 : start + 3] in _ORDINAL_AFTER:
        return False
    if len(name) > 1 and name[-1] in _PLACE_SUFFIX:  # "张江镇和唐镇": places
        return False
    # "东方芳", "欧阳刚": a compound surname and a given name, not the word 东方.
    compound = name[:2] in _DOUBLE_SURNAME_SET and (cued or len(name) > 2)
    if not compound and (name[:2] in _NOT_NAMES or name[:3] in _NOT_NAMES):
        return False
    # A dictionary word: never without a cue; after one, not a verb or the like
    # ("申请人付款"), nor a frequent noun ("通知：车牌为…"); names are names (李娜).
    tag = _COMMON_WORDS.get(name)
    if (
        tag is not None
        and not tag.startswith("nr")
        and (not cued or generic or tag[0] in _NOT_AFTER_CUE_TAGS or tag.endswith("+"))
    ):
        return False
    if len(name) == 3 and not compound:  # "车子停在…", but 黄海波 (黄海: a place)
        head = _COMMON_WORDS.get(name[:2])
        # after a role cue only after a speaker's label, and a frequent word ("市民：车子停在…")
        if (
            head is not None
            and not head.startswith(("nr", "ns"))
            and (not cued or generic or (label and head.endswith("+")))
        ):
            return False
    if (
        text[start - 3 : start] == "共和国" or text[start - 2 : start + 1] == "共和国"
    ):  # "中华人民共和国劳动合同法"
        return False
    given = start + (2 if name[:2] in _DOUBLE_SURNAME_SET else 1)
    if given < end and text[given : given + 2] in _GIVEN_WORDS:
        return False
    # a surname alone before a title ("陈律师"), but not a preposition ("向律师咨询")
    if (
        given >= end
        and name in _PREPOSITION_SURNAMES
        and not cued
        and _CUE_AT_END.search(text, max(0, start - 8), start) is None
    ):
        return False
    # "南至亓长河": a candidate that starts with a cue word is the cue
    if not cued and len(name) > 2:
        cue = _CUE_AT_START.match(text, start, end)
        if cue is not None and cue.end() - start >= 2:
            return False
    if cued and text[start - 1 : start + 1] in _NOT_NAMES:  # "对方" after the cue "对"
        return False
    # "任配送员", "当保洁员": the start of a role noun (员 after it), not a name
    if text[end : end + 1] == "员" and text[end + 1 : end + 2] != "工":
        return False
    # "骑手和顾客的": a preposition before a word, not the surname 和 and a given name
    if name[0] in _PREPOSITION_SURNAMES and (
        name[1:3] in _NOT_NAMES or _COMMON_WORDS.get(name[1:3], "").endswith("+")
    ):
        return False
    # "被申请人毕博诚传媒有限公司": the start of an organisation's name, not a person's.
    if end < len(text) and _FOLLOW_START.match(text, end):
        return True
    return _ORG_SUFFIX.match(text, end) is None


# Middle dots and what is typed for one: bullets, dot operators, katakana and small stops.
_DOT = "·•・‧∙⋅･˙●◦"
# Names of Uyghur, Tibetan, Mongolian... citizens: parts joined by a middle dot. Found
# from each dot: the Chinese characters before it (up to 6) and the part after it.
_DOTS = re.compile(f"[{_DOT}]")
_AFTER_DOT = re.compile(
    rf"[{HAN}]{{2,6}}?(?:[{_DOT}][{HAN}]{{1,5}})?(?={_FOLLOW})"
    # (a long transliterated part whatever follows: "努尔古丽·阿布都热依木自愿…")
    rf"|{_TRANSLIT}{{5,8}}|[{HAN}]{{2,4}}|[{HAN}]"
)


# Words that end the part before the dot: "濮阳文博与哈斯·巴根" is two names.
_BEFORE_DOT_STOP = frozenset("与和及同跟是叫的了在称为由向对被把将给让请找人者员告友方主：:")


def _dotted_names(text: str, out: list[Candidate]) -> None:
    for m in _DOTS.finditer(text):
        dot = m.start()
        start = dot
        while (
            start > max(0, dot - 6)
            and "\u4e00" <= text[start - 1] <= "\u9fff"
            and text[start - 1] not in _BEFORE_DOT_STOP
        ):
            start -= 1
        tail = _AFTER_DOT.match(text, dot + 1)
        cue = _CUE_AT_START.match(text, start, dot)
        if cue is not None and cue.end() < dot:  # "母亲热依拉·吐尔逊": the cue is no part
            start = cue.end()
        if start < dot and tail is not None:
            out.append((start, tail.end(), "name"))


def _titled_name(text: str, s: int, e: int, title: str) -> bool:
    """Whether text[s:e], right before `title`, is a name: a compound surname alone is
    ("欧阳经理", "宇文先生"); a surname alone is not when it ends a word or a compound
    ("保安队长", 欧阳经理's 阳); else `_keep_name` decides."""
    name = text[s:e]
    if name in _DOUBLE_SURNAME_SET:
        return True
    if len(name) == 1:
        if s > 0 and text[s - 1 : s + 1] in _DOUBLE_SURNAME_SET:
            return False
        prev = text[s - 1 : s]
        if title in _POST_TITLES and "\u4e00" <= prev <= "\u9fff" and prev not in _BEFORE_POST:
            return False
    return _keep_name(text, s, e, False)


def _is_given(chars: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" and c not in _GIVEN_STOP_SET for c in chars)


def _titled_names(text: str, out: list[Candidate]) -> None:
    """A surname (single or compound) and up to two characters of a given name before a
    title ("王先生", "李建国大爷", "欧阳经理"), found from the title: the longest such
    name that holds ("房东金老师": not 房东金, but 金)."""
    for m in _TITLE_WORD.finditer(text):
        t = m.start()
        for length in (4, 3, 2, 1):
            s = t - length
            if s < 0:
                continue
            surname = 2 if text[s : s + 2] in _DOUBLE_SURNAME_SET else 1
            if surname == 1 and (text[s] not in _SINGLE_SET or length == 4):
                continue
            if (
                _is_given(text[s + surname : t])
                # no title inside the given name ("由爷爷奶奶": 爷爷 is the title)
                and (s + surname == t or _TITLE_WORD.search(text, s + surname, t) is None)
                and _titled_name(text, s, t, m.group())
            ):
                out.append((s, t, "name"))
                break


# A name signed after a party's label at the end of a line ("申请人：向前 2026年3月"):
# whatever its characters, since nothing but a name stands there.
_SIGNED = re.compile(rf"[:：][ 　]?(?P<n>{_CUED_SURNAME_ALT}[{HAN}]{{1,2}})(?=[ \t\n　]|$)")


def _signed_names(text: str, out: list[Candidate]) -> None:
    for m in _SIGNED.finditer(text):
        cue = _CUE_AT_END.search(text, max(0, m.start() - 8), m.start() + 1)
        if cue is not None and cue.group().rstrip(_CUE_TAIL) not in _GENERIC_CUES:
            out.append((m.start("n"), m.end("n"), "name"))


def _distinct_compounds(text: str, out: list[Candidate]) -> None:
    """A distinct compound surname with the longest given name (two characters, one,
    none) that a word following names ends, else the longest ("呼延国庆都不知道")."""
    for m in _DISTINCT_COMPOUND.finditer(text):
        s, g = m.start(), m.start("g")
        given = m.end() - g
        chosen = given
        for n in range(given, -1, -1):
            e = g + n
            if e == len(text) or _FOLLOW_START.match(text, e) is not None:
                chosen = n
                break
        e = g + chosen
        if chosen == 0 or _keep_name(text, s, e, True):
            out.append((s, e, "name"))


# Role nouns: a word that ends in a character naming a person by role or duty
# (诉求人, 快递员, 消费者, 骑手, 摊主, 主管, 管家, 客服, 值班), perhaps with 叫/是 after
# it. A person stands right after one, so a name there is taken without the cue list:
# a surname and one or two characters of a given name before a word that follows names,
# a surname called by with 老 or 小 or with a short title (主管老李, 骑手张总), and after
# 叫/名叫 or before a verb of speech two characters of a given name alone (摊主叫春华，).
_SPEECH_WORDS = r"说|称|讲|表示|告诉|回复|答复|回答|解释|承认|同意|拒绝"
_SPEECH_AFTER = re.compile(_SPEECH_WORDS)
# (found from the role's last character, and only where a name may follow it)
_ROLE_END = re.compile(
    rf"[人员者手主管家服班长师警户儿](?<=[{HAN}].)(?P<call>叫|名叫|是)?[:：]?"
    rf"(?=[老小]|{_SINGLE_CLASS}|{_DOUBLE_ALT}|[{HAN}]{{2}}(?:{_SPEECH_WORDS}|[^{HAN}]))"
)
_ROLE_SURNAME = re.compile(rf"{_DOUBLE_ALT}|{_SINGLE_CLASS}")
# First characters of a time, an adverb or a pronoun before a verb ("快递员刚才说"), and
# kinship after 小 ("快递员小哥说"): no given name.
_NOT_GIVEN_FIRST = frozenset(
    "今明昨前后早晚刚又也都就才还再已曾当一本总老小偶突竟居只仍始终这那哪怎"
)
_KIN_SECOND = frozenset("哥姐弟妹叔姨婶伯舅爷奶妈爸")
_NOT_ROLE_BEFORE = frozenset("有没别他某众个人行")
# 老/小 and these are words for people, times and things (老师, 老公, 小时, 小区, 小孩).
_CALLED_WORDS = frozenset("师板公婆人家乡大时区孩姐伙学组吃费哥妹弟")


def _role_names(text: str, out: list[Candidate]) -> None:
    for m in _ROLE_END.finditer(text):
        p = m.end()
        if p >= len(text):
            continue
        if text[m.start() - 1] in _NOT_ROLE_BEFORE and text[m.start()] == "人":
            continue  # "有人管一管", "别人": no role
        head = text[p]
        if head in "老小":
            sm = _ROLE_SURNAME.match(text, p + 1)
            if (
                sm is not None
                and (sm.end() - sm.start() == 2 or text[p + 1] not in _CALLED_WORDS)
                and text[p : sm.end()] not in _NICKNAMES
            ):
                out.append((p, sm.end(), "name"))  # (with 老/小: "客服小张让我加")
                continue
        # (a surname that is also a verb or a function word, as 来 of "派人来修": none)
        sm = _ROLE_SURNAME.match(text, p)
        if sm is not None and sm.end() == p + 1 and head in _GIVEN_STOP_SET:
            sm = None
        if sm is not None:
            g = sm.end()
            if text[g : g + 1] in ("总", "姐", "哥") and text[p : g + 1] not in _COMMON_WORDS:
                out.append((p, g, "name"))
                continue
            for e in (g + 2, g + 1):
                if e > len(text) or not _is_given(text[g:e]):
                    continue
                if (
                    (e == len(text) or _FOLLOW_START.match(text, e) is not None)
                    # (a frequent word, whatever jieba tags it: "报案人陈述：")
                    and not _COMMON_WORDS.get(text[p:e], "").endswith("+")
                    and _keep_name(text, p, e, True)
                ):
                    out.append((p, e, "name"))
                    break
            else:
                sm = None
            if sm is not None:
                continue
        given = text[p : p + 2]
        if (
            len(given) == 2
            and _is_given(given)
            and head not in _NOT_GIVEN_FIRST
            and given[1] not in _KIN_SECOND
            and given not in _GIVEN_WORDS
            and given not in _NOT_NAMES
            and _SPEECH_AFTER.match(given) is None  # "来电人表示同意"
            and _DEED.match(given) is None
            # a dictionary word only if a name or a rare noun or time ("国庆")
            and _COMMON_WORDS.get(given, "nr")[0] in "nt"
            and not _COMMON_WORDS.get(given, "").endswith("+")
        ):
            after = text[p + 2 : p + 3]
            if (m.group("call") and (not after or not "\u4e00" <= after <= "\u9fff")) or (
                _SPEECH_AFTER.match(text, p + 2) is not None
            ):
                out.append((p, p + 2, "name"))


def _names(text: str, out: list[Candidate]) -> None:
    # Cued names: after a rejected candidate ("与顾客…") search again from the next
    # character, so that it does not hide the following cue ("顾客李楠").
    search = _NAME_CUED.search
    m = search(text)
    while m is not None:
        s, e = m.span("n")
        cue = m.group()[: s - m.start()].rstrip(_CUE_TAIL)
        # A role cue as a speaker's label ("市民：车子停在…") is followed by speech.
        label = text[s - 1] in ":：" and cue not in _GENERIC_CUES
        if _keep_name(text, s, e, True, generic=cue in _GENERIC_CUES, label=label):
            out.append((s, e, "name"))
            m = search(text, e)
        else:
            m = search(text, m.start() + 1)
    # The other patterns run only when the characters they start from are there.
    every = len(text) >= LONG_TEXT  # long texts: every pattern runs
    if every or "老" in text or "小" in text or "阿" in text:
        for m in _NAME_CALLED.finditer(text):
            word = _COMMON_WORDS.get(m.group(), "")  # 老张 is a word too, but a rare one
            if m.group() in _NICKNAMES:
                continue
            if not word.endswith("+") and text[m.start() : m.end() + 1] not in _COMMON_WORDS:
                out.append((m.start("n"), m.end("n"), "name"))
    first_compound = _DOUBLE_SEARCH(text)
    if first_compound is not None and (every or "老" in text or "小" in text):
        for m in _COMPOUND_CALLED.finditer(text, max(0, first_compound.start() - 1)):
            out.append((m.start("n"), m.end("n"), "name"))
    if every or "妈" in text or "爸" in text or "奶" in text or "爷" in text:
        for m in _PARENT_LABEL.finditer(text):
            if m.group("n") not in _GIVEN_WORDS and m.group("n") not in _NOT_NAMES:
                out.append((m.start("n"), m.end("n"), "name"))
    for m in _NAME_CLAUSE.finditer(text):
        s, e = m.span("n")
        if not _word_like(m.group("n")) and _keep_name(text, s, e, False):
            out.append((s, e, "name"))
    if every or _WEAK_CUE_START(text) is not None:
        for m in _NAME_WEAK_CUED.finditer(text):
            s, e = m.span("n")
            followed = e == len(text) or _FOLLOW_START.match(text, e) is not None
            if (followed or not _word_like(m.group("n"))) and _keep_name(text, s, e, False):
                out.append((s, e, "name"))
    for m in _NAME_STRICT_CUED.finditer(text):
        s, end = m.span("n")
        # after 的 a word that follows names, not a stop ("无效的游标。"), unless the
        # surname starts no word ("402的亓凯，")
        de = m.group("c") == "的" and text[s] not in RARE_SURNAMES
        given = s + (2 if text[s : s + 2] in _DOUBLE_SURNAME_SET else 1)
        for e in (given + 2, given + 1):  # two characters of a given name before one
            if e > end:
                continue
            if de:
                followed = _FOLLOW_WORD.match(text, e) is not None
            else:
                followed = e == len(text) or _FOLLOW_START.match(text, e) is not None
            if followed:
                if not _word_like(text[s:e]) and _keep_name(text, s, e, False):
                    out.append((s, e, "name"))
                break
    for m in _SHORT_TITLE.finditer(text):
        e = m.start()
        if text[e - 2 : e] in _DOUBLE_SURNAME_SET:  # "诸葛总"
            out.append((e - 2, e, "name"))
        elif (
            e > 0
            and text[e - 1] in _SINGLE_SET
            and text[e - 1 : e + 1] not in _COMMON_WORDS
            and _keep_name(text, e - 1, e, False)
        ):
            out.append((e - 1, e, "name"))
    for m in _DEED.finditer(text):
        e = m.start()
        s = e - 3
        if (
            s >= 0
            and text[s] in _SINGLE_SET
            and _is_given(text[s + 1 : e])
            and not _word_like(text[s:e])
            and _keep_name(text, s, e, False)
        ):
            out.append((s, e, "name"))
    _titled_names(text, out)
    _role_names(text, out)
    if every or "：" in text or ":" in text:
        _signed_names(text, out)
    compound = first_compound is not None
    if compound:
        _distinct_compounds(text, out)
    for pattern, wanted in ((_NAME_FREE[0], True), (_NAME_FREE[1], compound)):
        if not wanted:
            continue
        for m in pattern.finditer(text):
            s, e = m.span()
            if _keep_name(text, s, e, False):
                out.append((s, e, "name"))
    if every or "姓" in text:
        for m in _SURNAME_TOLD.finditer(text):
            told = m.group(1)
            if told in RARE_SURNAMES or told in _DOUBLE_SURNAME_SET:
                out.append((m.start(1), m.end(1), "name"))
    if every or _PINYIN_START(text) is not None:
        out.extend((m.start(1), m.end(1), "name") for m in _PINYIN_NAME.finditer(text))


# Names in Latin letters, in the English of bilingual complaints or after a Chinese cue:
# a capitalised word or two after an honorific ("Mr. Zhang", "Ms Emily Carter"), after
# words that introduce a person ("My name is", "Landlord:", "signed"), after a Chinese
# role noun or cue ("房东 Tom Hardy", "承租方：Lisa Grant"); and anywhere, a pinyin surname
# with a pinyin given name ("Wang Xiuying", "LIU Jianguo").
_CAP_WORD = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
_CAP_NAME = rf"{_CAP_WORD}(?:\s(?:[A-Z]\.\s)?{_CAP_WORD}){{0,2}}"
_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Madam|Mme|Sir)\.?"
_EN_CUE = (
    r"(?:[Mm]y name is|I am|I'm|[Tt]his is|[Nn]ame|NAME|[Ll]andlord|[Ll]andlady|[Tt]enant"
    r"|[Cc]ontact|[Ss]igned|[Ss]ignature|[Cc]omplainant|[Aa]pplicant|[Ww]itness|[Pp]atient|[Dd]octor|[Aa]gent"
    r"|[Oo]fficer|[Ll]essor|[Ll]essee|[Pp]arty [AB]|I,)"
)
# Words that are capitalised but name no person: places, address words, months, days.
_NOT_EN_NAMES_TEXT = (
    "Road Rd Street St Avenue Ave Lane Ln Boulevard Blvd Alley Drive Way Highway District "
    "County City Province Town Township Village Building Bldg Block Tower Room Rm Flat Apt "
    "Apartment Unit Suite Floor Garden Gardens Estate Plaza Center Centre Park Community "
    "North South East West Middle Central New Area Zone Beijing Shanghai Guangzhou Shenzhen "
    "China Chinese Hong Kong Macau Taiwan The This That These My Our Your His Her Their I We "
    "Dear Sir Madam Yours Sincerely Regards Thanks Thank Please Hello Hi Mr Mrs Ms Miss Dr "
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday English WeChat Alipay Company "
    "Ltd Co Inc Limited Bank Hospital School University Police Station Office Court No "
    "None True False Festival Day Holiday Year"
)
_NOT_EN_NAMES = frozenset(_NOT_EN_NAMES_TEXT.split())
_EN_NAMED = re.compile(
    rf"(?P<h>{_HONORIFIC})\s?(?P<n>{_CAP_NAME})"
    rf"|(?:{_EN_CUE})[:：,]?\s(?:is\s)?(?P<c>{_CAP_NAME})"
    rf"|(?P<z>{_CAP_WORD}(?:\s{_CAP_WORD}){{1,2}})(?![A-Za-z])"
)
_PINYIN_SURNAMES_TEXT = (
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng "
    "Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye "
    "Cheng Wei Su Lv Lyu Ding Ren Lu Yao Shen Zhong Jin Cui Tan Fan Shi Qian Qin Kong Bai Mao "
    "Hou Xiong Meng Yan Xue Lei Long Duan Hao Gu Shao Wan Qiu Dai Fu Kang Qi Niu Ouyang Situ "
    "Zhuge Shangguan Sima"
)
_PINYIN_SURNAMES = frozenset(_PINYIN_SURNAMES_TEXT.split())
_PINYIN_SYLLABLE = (
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo"
    r"|ue|ui|er|a|e|i|o|u|v)"
)
_PINYIN_SURNAME_ALT = "|".join(
    sorted(_PINYIN_SURNAMES | {x.upper() for x in _PINYIN_SURNAMES}, key=lambda x: (-len(x), x))
)
_PINYIN_PAIR = re.compile(
    rf"(?P<s>{_PINYIN_SURNAME_ALT})\s(?P<g>[A-Z][a-z]{{1,11}}|[A-Z]{{2,12}})(?![A-Za-z])"
)
_PINYIN_GIVEN = re.compile(rf"(?:{_PINYIN_SYLLABLE}){{1,3}}", re.IGNORECASE)


_ROLE_CHARS = frozenset("人员者手主管家服班长师警户儿方")


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _role_before(text: str, i: int) -> bool:
    """Whether a role noun or a cue ends right before `i` (past a colon or a bracket)."""
    j = i
    while j > 0 and text[j - 1] in " ：:（()）":
        j -= 1
    return j > 0 and (
        text[j - 1] in _ROLE_CHARS or _CUE_AT_END.search(text, max(0, j - 8), j) is not None
    )


def _latin_names(text: str, out: list[Candidate]) -> None:
    for lo, hi in latin_stretches(text):
        _latin_names_in(text, lo, hi, out)


def _latin_names_in(text: str, lo: int, hi: int, out: list[Candidate]) -> None:
    for m in _EN_NAMED.finditer(text, lo, hi):
        group = "n" if m.group("n") else "c" if m.group("c") else "z"
        words = m.group(group).split()
        # a name is its words up to the first that names no person
        keep = 0
        for w in words:
            if w.rstrip(".") in _NOT_EN_NAMES:
                break
            keep += 1
        if keep == 0:
            continue
        if group == "z":
            z = m.start("z")
            before = text[z - 2 : z].strip()[-1:] if z else ""
            if (
                keep < 2
                or not before
                or not (_han(before) or before in "：:（(")
                or not _role_before(text, z)
            ):
                continue
        start = m.start("h") if group == "n" else m.start(group)
        end = m.start(group) + len(" ".join(words[:keep]))
        out.append((start, end, "name"))
    for m in _PINYIN_PAIR.finditer(text, lo, hi):
        given = m.group("g")
        if m.start() and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha():
            continue  # (inside a word: "Kang" of "Hong Kang")
        if given.capitalize() in _NOT_EN_NAMES or _PINYIN_GIVEN.fullmatch(given) is None:
            continue
        out.append((m.start(), m.end(), "name"))


DETECTORS: tuple[DetectorEntry, ...] = (
    ("plain", _DOT, "", _dotted_names),
    ("plain", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "latin", _latin_names),
    ("plain", "", "", _names),
)
