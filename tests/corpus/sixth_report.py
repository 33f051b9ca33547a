"""HELD OUT. Do not open it when tuning the rules.

The sixth corpus (issue 11, item 4): one held-out file only, hand-written by a new author
who never read the scrubber's rules, its name model or the texts of the earlier corpora
(only the markup and check-digit helpers of tests/corpus/unseen_kit.py are reused, and
the first lines of tests/corpus/fifth.py for the file's shape). Every text was written one
by one: no templates, no pools. benchmarks/scrubber.py prints aggregate figures for it,
never its texts or the values it misses, so that nobody tunes on it by accident.

About half of the values are person names, in phrasing the other corpora lean on little:
names inside long run-on sentences, after 跟/和/给/找/让/被/把/替/向, in quoted speech,
next to occupations, in dialect and colloquial chat, in signatures and lists, minority and
transliterated names, names that are also common words (高明, 夏天, 江海). About a quarter
are addresses (urban, partial, rural), the rest identifiers in varied written forms.

Labelling follows tests/corpus/unseen_kit.py: a surname with a form of address labels the
surname alone; courts' anonymised forms (王某, 刘某某) are not personal data and stay
unlabelled (a scrubber that removes them loses precision); an address runs from its first
administrative part (or its estate, for partial addresses) to its last locator. Dates and
amounts are labelled so that precision is fair to a scrubber that removes them.
"""

from __future__ import annotations

from tests.corpus.unseen_kit import (
    Doc,
    full_width,
    marked,
    uscc_of,
    with_id_check,
    with_luhn,
    with_vin_check,
)

_ID1 = with_id_check("45060219810323571")
_ID2 = with_id_check("13072519790612433")
_ID3 = with_id_check("62010219950730188")
_ID4 = with_id_check("32058319680204376")
_ID5 = with_id_check("53250119900511244")
_ID6 = with_id_check("36043019870921104")  # check character X, written lower case
_CARD1 = with_luhn("622202400312887654")  # 19 digits
_CARD2 = with_luhn("621700287003124")  # 16 digits
_CARD3 = with_luhn("622848012963470512")  # 19 digits
_CARD4 = with_luhn("625965001837214")  # 16 digits
_USCC1 = uscc_of("91", "440300", "MA5G7R2K")
_USCC2 = uscc_of("52", "610113", "MJ8P4T6W")
_VIN1 = with_vin_check("LGBH52E05MY312874")
_VIN2 = with_vin_check("LVSHCFAE3NF608217")


def _grouped(value: str, *cuts: int, sep: str = " ") -> str:
    """A value written in groups: ``cuts`` are the group lengths but the last."""
    parts, pos = [], 0
    for n in cuts:
        parts.append(value[pos : pos + n])
        pos += n
    return sep.join([*parts, value[pos:]])


_SOURCES: tuple[str, ...] = (
    # 1 dialect chat
    "俺跟«name|牛建设»说了八百遍了，那钱是«name|二丫»她娘借的，恁去找«name|牛建设»要去，"
    "别老堵俺家门口，俺就住«address|河南省周口市郸城县汲冢镇后刘庄村三组»，又跑不了。",
    # 2 run-on sentence
    "那天下午大概三点多我从厂里出来本来想直接回家的结果在门口碰见了«name|郝思远»他说他表哥"
    "«name|戚胜利»也在等工资已经等了快半年了让我帮忙问问«name|卞»主任到底什么时候能发我说我"
    "也不知道他就一直跟着我走到«address|红旗街218号»楼下才走。",
    # 3 quoted speech in a mediator's note
    "调解记录：被申请人当场表示：“«name|蒲晓东»的工资不是我不给，是«name|甄有财»那边的工程款"
    "一直没到。”申请人回应：“你别拿«name|甄有财»当挡箭牌。”申请人住«address|东莞市长安镇乌沙社区兴发南路17号»。",
    # 4 occupations
    "急诊科护士长«name|梁慧敏»、保安队长«name|钮大勇»和收银员«name|汤圆圆»均证实，"
    "«date|2026年1月17日»晚上患者家属在大厅摔了两把椅子。",
    # 5 court's anonymised forms (unlabelled) and a real agent
    "经查，被申请人王某某系公司法定代表人，其妻李某于«date|2025年11月»将«amount|38万元»转入"
    "个人账户；申请人的委托代理人«name|覃海燕»律师当庭提交了转账凭证。",
    # 6 signature
    "以上情况属实，恳请贵中心依法处理。\n此致\n敬礼\n申请人：«name|伍秋菊»\n"
    "联系电话：«mobile|139 2754 8816»\n地址：«address|湖南省邵阳市隆回县桃洪镇六都寨村11组»\n«date|二〇二六年三月二日»",
    # 7 list
    "参加本次协调会的有：«name|罗志刚»、«name|龙翠兰»、«name|幸小勇»（村委会）、"
    "«name|巫家宝»（镇司法所）以及物业公司代表两人，地点在«address|礼贤镇东段家务村二组»村委会会议室。",
    # 8 minority names, full address
    "维吾尔族居民«name|阿卜杜萨拉木·吐尔逊»反映，邻居«name|古丽娜尔·艾力»家装修从早到晚"
    "不停，房子在«address|乌鲁木齐市天山区胜利路街道团结小区14栋3单元502室»。",
    # 9 transliterated name, foreign passport
    "外籍员工«name|亚历山大·彼得罗夫»（护照号码«passport|753816204»）称单位一直没给他办"
    "工作许可，翻译«name|娜塔莎»全程在场，他现住«address|朝阳区三里屯西五街5号院2号楼»。",
    # 10 names that are also words
    "昨天«name|高明»和«name|夏天»在仓库里吵起来了，«name|高明»一口咬定是«name|夏天»"
    "顺走了他的电钻，两人差点动手，仓库在«address|嘉定区马陆镇宝安公路2999弄18号»。",
    # 11 替/被/把, village group
    "我是替我舅舅«name|单永福»来问的，他上个月被«name|鲁二虎»打伤了腰，他家还把他的三轮车"
    "扣在«address|红星村七组»的晒谷场上不还。",
    # 12 向/给/找/让, +86 with dashes
    "请你们先向«name|温雅琴»核实，或者直接给她打电话«mobile|+86 137-1809-4452»，实在找不到"
    "就找她女儿«name|邝琳琳»，让«name|邝琳琳»转告也行，她原来住«address|天津市和平区荣华里7号»。",
    # 13 WeChat and QQ
    "我的微信是«wechat|lihuajie_0917»，加的时候备注一下是«name|黎华杰»的那个欠薪案子，"
    "QQ也行：«qq|2846139075»。",
    # 14 ＠ e-mail
    "补充材料请发到«email|shen.yuping＠163.com»，同时抄送«email|hr_legal@jinfeng-tech.cn»，"
    "联系人«name|沈玉萍»，纸质件寄«address|杭州市西湖区文三路259号昌地火炬大厦1号楼5楼»。",
    # 15 full-width ID, Guangdong address
    f"申请人«name|冼国栋»，男，公民身份号码«resident_id|{full_width(_ID1)}»，住"
    "«address|广东省佛山市南海区桂城街道叠滘社区东胜坊十二巷5号»。",
    # 16 ID with dashes
    f"被申请人«name|佟雪梅»，女，身份证«resident_id|{_grouped(_ID2, 6, 8, sep='-')}»，"
    "现住«address|河北省张家口市怀来县沙城镇燕京路东段46号»。",
    # 17 bank card in groups
    f"退款麻烦打到我工行卡上«bank_card|{_grouped(_CARD1, 4, 4, 4, 4)}»，户名"
    "«name|焦德旺»，别打到我老婆那张卡上，我人在«address|梅州市梅县区松口镇大黄村上屋组»。",
    # 18 plates incl. new-energy
    "业主«name|褚晓峰»的车«plate|沪AD82716»连续三个晚上停在消防通道，"
    "另一辆«plate|苏E·7K3N9»也经常停在«address|滨江花园二期11号楼»门口，保安说了也不听。",
    # 19 landlines with extension and brackets
    "有问题请拨«landline|0571-8702 3361转806»找«name|应佳琪»，下班后打值班电话"
    "«landline|(020)38916627»。",
    # 20 court judgment
    "本案已经«case_no|(2025)浙0106民初8817号»民事判决，被告«name|傅文涛»应于判决生效后十日内"
    "支付«amount|¥46,380.00»，被告住所地«address|杭州市上城区清泰街571号»，至今分文未付。",
    # 21 arbitration number, rare surname
    "申请人«name|笪立新»与被申请人某物流公司劳动争议一案，案号«case_no|京朝劳人仲字〔2026〕第0473号»，"
    "被申请人住所地«address|北京市朝阳区十八里店乡小武基村甲1号»，定于«date|2026年4月9日»开庭。",
    # 22 VIN and plate
    f"车架号«vin|{_VIN1}»，车主«name|隋卫东»，号牌«plate|鲁F5S2M8»，事故后车一直停在«address|淄博市张店区华光路126号»的修理厂。",
    # 23 hospital number, doctor
    "患者«name|郦雪芬»，住院号«hospital_no|ZY2026031108»，主治医生«name|闵浩然»，"
    "家属电话«mobile|199 8724 0316»，对术后感染的解释不认可。",
    # 24 HK/Macau and Taiwan permits
    "他拿的是港澳通行证«permit|C61829437»，他太太«name|简慧玲»是台湾人，台胞证号"
    "«permit|10582237»，两个人都不在大陆常住。",
    # 25 USCC, company contact
    f"被申请单位的社会信用代码«uscc|{_USCC1}»，对接人«name|聂»经理，电话«mobile|18620397415»，单位地址«address|深圳市南山区粤海街道科技南十二路18号»。",
    # 26 partial address, estate first
    "我住«address|锦绣华庭8号楼2单元1101»，楼上«name|阚»老师家天天漏水，物业管家阿«name|蕙»"
    "来看过一次就没下文了。",
    # 27 rural land dispute
    "«address|贵州省黔东南州从江县加榜乡党扭村2组»村民«name|潘老岩»与«name|韦金花»因"
    "责任田边界发生纠纷，双方都说那块地是«date|1998年»分的。",
    # 28 phone-call transcript
    "来电人：喂，我找一下«name|戴»科长。接线员：您是哪位？来电人：我是«name|晏春生»，"
    "上周给他送过材料的，我电话是«mobile|15907318264»。",
    # 29 Shanghai 弄/号/室
    "房屋坐落于«address|上海市静安区余姚路428弄12号601室»，出租人«name|邬佩芬»，"
    "承租人«name|尚小军»，月租«amount|6800元»。",
    # 30 colloquial chat, 某某 unlabelled
    "哥们我跟你讲，那个张某某就是个中介，真正收钱的是«name|胖虎»他姐«name|钟梦瑶»，"
    "钱都进了她支付宝了，她住«address|翠竹苑3期5栋»。",
    # 31 names in a run-on complaint with 跟和
    "我和«name|霍建平»还有«name|柏永红»三个人一起去的«address|经开区锦绣路66号»，«name|霍建平»跟门卫吵了几句，门卫就把"
    "我们三个都拦在外面，后来«name|柏永红»打了«mobile|0086 188 1026 3379»这个号码才放行。",
    # 32 rejection reason
    "不受理的原因：申请人«name|毕晓光»提交的身份证明复印件«resident_id|"
    f"{_grouped(_ID3, 6, 8)}»字迹不清，且未写明被申请人的住所。",
    # 33 remedy
    "补正意见：请申请人«name|靳芳菲»于«date|2026年3月20日»前补交劳动合同原件及"
    "工资流水，邮寄至«address|西安市雁塔区电子西街3号院7号楼»。",
    # 34 Cantonese chat
    "你同阿«name|辉»讲啦，阿«name|炳»话嗰笔钱系«name|梁»伯借俾佢嘅，唔关我事。",
    # 35 Mongolian and Tibetan names
    "牧民«name|乌兰其其格»和«name|巴特尔»反映草场被占，村里会计«name|扎西顿珠»说补偿款"
    "«amount|12万»已经发到户了，牧场在«address|锡林郭勒盟阿巴嘎旗别力古台镇巴彦图嘎查3组»。",
    # 36 names that are words, 江海 and 金星
    "«name|江海»是这家店的老板，«name|金星»是他请的厨师，两人都说不认识那位来闹事的顾客，店在«address|黄石市下陆区团城山街道杭州西路44号»。",
    # 37 email with plus
    "答辩人邮箱«email|ruoxi.pan+case@outlook.com»，答辩人«name|潘若曦»声明不同意调解，送达地址«address|合肥市蜀山区长江西路669号18栋1608室»。",
    # 38 ID written with a lower-case x, in a sentence
    f"我身份证号是«resident_id|{_ID6.lower()}»你们系统里查一下就知道我叫«name|邓翔宇»了。",
    # 39 landline with area code in words
    "老家座机«landline|0738-4162095»，平时家里只有我奶奶«name|曾桂英»接电话，老家在«address|湘西州龙山县里耶镇比耳村4组»。",
    # 40 industrial park
    "用人单位地址：«address|苏州工业园区星湖街328号创意产业园12幢4楼»，负责人«name|殷浩»，电话«landline|0512-62887150»。",
    # 41 bank card with dashes
    f"工资卡号«bank_card|{_grouped(_CARD2, 4, 4, 4, sep='-')}»（农行），持卡人«name|童一鸣»。",
    # 42 road with kilometre marker
    "事故地点在«address|国道318线2076公里处»，肇事司机«name|蒙振华»驾驶«plate|湘AF37128»弃车逃逸。",
    # 43 pet names and 阿
    "阿«name|芳»妈妈说，那天是«name|小宝»爸爸«name|詹国强»先推的人，监控里都拍到了。",
    # 44 WeChat with Chinese cue
    "她那个小号微信«wechat|mm_meili88»，大号是手机号«mobile|13366021847»，名字叫«name|岳美丽»。",
    # 45 arbitration reply
    "答辩人«name|欧阳建勋»认为，申请人«name|上官婉清»主张的加班费«amount|二万三千元»没有事实"
    "依据，望仲裁庭不予支持；申请人住«address|福州市鼓楼区五四路158号环球广场A座2203»。",
    # 46 names after 被 and 把 in a long police-style note
    "报警人称其电动车被«name|孔德顺»骑走后一直未还，«name|孔德顺»又把车转卖给了收废品的«name|雷老四»，"
    "现车在«address|长沙市开福区新河街道三角塘社区6栋»楼下。",
    # 47 Hakka-ish rural address with 社
    "«address|四川省广安市岳池县罗渡镇花园村9社»的«name|蒋伯清»老人没有子女，邻居«name|鄢秀英»"
    "平时帮忙照看。",
    # 48 QQ in words, e-mail qq.com
    "QQ号«qq|794310286»，邮箱«email|794310286@qq.com»，都是«name|骆晨»在用，退款卡"
    f"«bank_card|{_grouped(_CARD4, 4, 4, 4)}»。",
    # 49 passport E
    "出境前请核对护照«passport|EA6218943»上的姓名拼音«name|ZHUO JIAYI»与机票是否一致，旧护照«passport|G37516208»已作废。",
    # 50 hospital number variant
    "门诊号«hospital_no|MZ-0087316»，病人«name|宓国华»，由其儿子«name|宓斌»代为投诉，家住«address|宁波市鄞州区百丈街道划船社区27幢»。",
    # 51 quoted speech, colloquial
    "“老«name|汪»，你别装糊涂，”«name|茹静»在电话里说，“合同是你亲手签的，"
    "«amount|五千块»定金你也收了。”说完她把微信«wechat|wxid_8ke2m5p0qz7r22»也拉黑了。",
    # 52 second VIN
    f"抵押车辆VIN码«vin|{_VIN2}»，登记车主«name|海力且木·阿不都»，车辆停放于«address|喀什市多来特巴格乡11村2组»，贷款银行要求收回。",
    # 53 USCC with spaces and a bank card
    f"收款单位信用代码«uscc|{_grouped(_USCC2, 2, 6, 9)}»，对公账户开户行建行，经办人"
    f"«name|符晓梅»，备用卡«bank_card|{_CARD3}»。",
    # 54 court case number in full-width brackets
    "原告«name|诸葛文斌»诉被告«name|仇立伟»民间借贷纠纷一案，被告住«address|苏州市姑苏区十全街平桥直街8号»，«case_no|（2026）苏0508民初2291号»，"
    "本院于«date|2026年2月26日»立案。",
    # 55 plate with space, village with 屯
    "那辆«plate|桂A 3G718»的面包车是«name|黄勇»的，他家在«address|南宁市武鸣区双桥镇伏林村那汉屯"
    "15号»。",
    # 56 full-width mobile
    f"联系我请打«mobile|{full_width('135 0211 9634')}»，我是楼下开面馆的«name|库尔班»，面馆就在«address|解放北路112号»。",
    # 57 ID in groups in a rejection
    f"经核对，申请人«name|禚海波»填写的身份证号«resident_id|{_grouped(_ID4, 3, 3, 4, 4)}»"
    "与户籍信息一致，但住址«address|昆山市玉山镇朝阳东路89号3幢2单元201室»无人应答。",
    # 58 mixed list in a signature block
    "联名人：«name|柯国良»（«address|幸福里小区4号楼302»）、«name|麦淑贞»（«address|5号楼101»）、"
    "«name|司马云飞»（«address|6号楼1203»），代表全体住户。",
    # 59 ID plain, Yunnan rural address
    f"«name|李阿四»，彝族，身份证«resident_id|{_ID5}»，户籍地«address|云南省红河州蒙自市"
    "期路白苗族乡期路白村委会大寨村46号»。",
    # 60 Hong Kong landline, Cantonese names
    "香港联系人«name|郭家豪»，电话«landline|+852 2873 6610»，另有澳门朋友«name|何嘉欣»可以作证；«name|郭家豪»住«address|香港九龙旺角弥敦道688号12楼B室»，回乡证«permit|H60231875»。",
)

#: The hand-written texts with their labelled values.
HANDWRITTEN: list[Doc] = [marked(s) for s in _SOURCES]

#: Sentences with no personal data, though they hold words that look like names or places.
CLEAN: tuple[str, ...] = (
    "这个办法不太高明，等过了夏天再商量。",
    "江边风大，晚上散步请注意安全。",
    "请把平安二字贴在门口，图个吉利。",
    "双方同意先冷静几天，再由社区出面协调。",
    "物业答应下周更换楼道里坏掉的声控灯。",
    "申请人表示不再追究对方的道歉问题。",
    "村里的老槐树下常有人下象棋。",
    "文明养犬，出门请牵绳。",
    "常青藤爬满了整面墙，看着挺好看。",
    "他说话向来直来直去，不会拐弯。",
    "仲裁庭建议双方庭外和解。",
    "施工队承诺晚上十点以后不再作业。",
    "夏天到了，车间里的风扇要多装几台。",
    "这份合同的条款写得很清楚，没什么可争的。",
    "调解员提醒双方注意言辞，不要人身攻击。",
    "红星照耀的那个年代大家都不容易。",
    "幸福是奋斗出来的，这话没错。",
    "老板说公司效益不好，年终奖可能要推迟。",
    "小区门口新开了一家黄焖鸡米饭。",
    "请到窗口领取号码牌，按顺序办理。",
)
