"""The fourth corpus, tuning half: hand-written texts by a new author (issue 11, item 4).

Written without reading the scrubber's rules or the earlier corpora; only the markup and
check-digit helpers of tests/corpus/unseen_kit.py are reused. Values are marked
``«kind|value»``; identifiers that carry a check character are computed so they are valid.
The held-out half (tests/corpus/fourth_report.py) shares no sentence with this one.
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

_ID1 = with_id_check("31010519760312441")
_ID2 = with_id_check("44030619890723052")
_ID3 = with_id_check("51112219950208363")
_ID4 = with_id_check("65010219811130281")
_CARD1 = with_luhn("622848003817265")  # 16 digits
_CARD2 = with_luhn("621700129900431275")  # 19 digits
_USCC1 = uscc_of("91", "310115", "MA1FL3K2")
_VIN1 = with_vin_check("LFV2A21K7G3041288")

_SOURCES: tuple[str, ...] = (
    # WeChat / SMS from applicants
    "您好，我是«name|欧阳晓东»，上周在网上提交了申请，电话«mobile|+86 139 1820 7745»，麻烦尽快回个话。",
    f"老师好 我叫«name|阿依古丽·买买提» 身份证«resident_id|{_ID4[:6]} {_ID4[6:14]} {_ID4[14:]}» 材料补好了",
    "收到短信说材料不全，我是«name|司马文静»的女儿，妈妈不会打字，有事打我«mobile|0086-186-2193-5507»",
    "小«name|李»说让我加你微信«wechat|chenmo_1988x»，我把合同照片发过去了",
    f"工资卡是«bank_card|{_CARD1[:4]} {_CARD1[4:8]} {_CARD1[8:12]} {_CARD1[12:]}»，老板«name|周德胜»三个月没打钱了",
    "我QQ«qq|735218460»，邮箱«email|liyang.hz@163.com»，白天上班不方便接电话",
    f"手机号«mobile|{full_width('13817264095')}»是我爱人«name|上官婉清»的，也可以联系她",
    # formal 申请书 / 答辩状
    f"申请人：«name|诸葛明远»，男，汉族，公民身份号码«resident_id|{_ID1}»，住«address|上海市徐汇区漕溪北路88弄7号1203室»。",
    f"被申请人：上海鑫瑞物流有限公司，统一社会信用代码«uscc|{_USCC1}»，住所地«address|上海市浦东新区张江路1690号3幢402室»。",
    f"答辩人«name|黄志坚»对申请人所述事实不予认可，答辩人已于事发当日通过尾号«bank_card|{_CARD2}»的账户支付了全部款项。",
    "原告«name|吴秀兰»与被告«name|吴建华»、«name|吴建国»、«name|吴建英»继承纠纷一案，现依法提出答辩如下。",
    "委托诉讼代理人«name|钱晓蕾»，联系电话«landline|021-6437 2210转8031»。",
    # mediator's notes 调解笔录
    "调解员：请双方确认身份。老«name|张»：我叫«name|张福根»，住«address|浙江省湖州市长兴县虹星桥镇港口村5组»。",
    f"当事人«name|马麦麦提»称，车辆«plate|新A·D83621»系其本人所有，车架号«vin|{_VIN1}»。",
    "问：你和«name|刘春燕»是什么关系？答：她是我前妻，离婚后孩子跟我住在«address|江苏省苏州市吴中区东山镇陆巷村村民小组9号»。",
    f"经调解，«name|邓卫东»同意于三日内赔偿«name|何小军»医疗费，款项转入«bank_card|{_CARD2[:6]} {_CARD2[6:]}»。",
    # rejection reasons and remedies
    "您的申请（申请人«name|林淑芬»）因缺少劳动合同被退回，可于十五日内补正后重新提交，咨询电话«landline|(0571)8702 3316»。",
    "不予受理理由：该争议已由法院立案，案号«case_no|（2026）沪0105民初1234号»，请向该院了解进展。",
    "如对本决定不服，«name|郑宏伟»可在收到之日起十五日内向«address|北京市朝阳区建国路29号»提出复核。",
    # institution case notes
    "来访人«name|覃美玲»（壮族），护照号«passport|EC4821937»，称雇主扣押其证件。",
    "当事人持港澳居民来往内地通行证«permit|H60318742»，联系邮箱«email|kwong.ys＠gmail.com»。",
    "台胞«name|蔡依婷»，台湾居民来往大陆通行证«permit|07351246»，在昆山工作，现住«address|江苏省昆山市花桥镇绿地大道231弄12号602室»。",
    "患者«name|宋玉兰»，住院号«hospital_no|ZY20260417032»，家属反映术后感染未告知。",
    # court / arbitration hand-off
    "移送函：申请人«name|欧阳志刚»诉上海某科技公司劳动争议，原仲裁案号«case_no|沪劳人仲（2025）办字第3378号»，现移交贵院。",
    "本案已转至«address|广东省深圳市福田区福中一路1001号»，承办法官联系电话«landline|0755-8390 6114»。",
    "请通知«name|阿布都热合曼·吐尔逊»于下周二到庭，其手机«mobile|150 9923 4418»。",
    # 12345 hotline
    "市民«name|杨»女士来电反映，«address|四川省成都市武侯区玉林南路14号附3号»楼下烧烤店油烟扰民，回访电话«mobile|138-0803-2291»。",
    "来电人自称小«name|王»，邮箱是 «email|wang dot lei at qq dot com»，要求书面答复。",
    f"来电人«name|韦国强»反映，物业拖欠维修基金，身份证号«resident_id|{_ID3[:6]}-{_ID3[6:14]}-{_ID3[14:]}»。",
    # village committee
    "村委会记录：«address|河南省周口市郸城县汲冢镇王庄村三组»村民«name|王老三»与邻居«name|李桂芝»因宅基地界址发生争执。",
    "老«name|刘»家承包的两亩地被«name|赵有福»占用，已请组长«name|孙满仓»到现场丈量。",
    # property / labour / traffic / medical / family
    "我在«address|湖北省武汉市东湖新技术开发区光谷软件园C6栋501室»上班，公司是楚天网络，拖欠工资两个月。",
    "事故车辆为新能源车«plate|沪AD12345»，对方车牌«plate|苏E·7K2M9»，驾驶人«name|胡海涛»。",
    "住«address|广东省广州市天河区天河北路233号中信广场42楼4203室»的«name|慕容雪»投诉房东不退押金，微信«wechat|wxid_8k2m4p9q»。",
    f"深圳的«name|陈丽»身份证«resident_id|{full_width(_ID2)}»，要求与«name|黎明辉»协议离婚后分割«address|广东省深圳市南山区桃园路8号田厦国际中心A座1806»房产。",
)

HANDWRITTEN: list[Doc] = [marked(s) for s in _SOURCES]

#: Sentences with no personal value: organisations, shop and road names, words that
#: begin with a surname character. A scrubber must leave every word of them.
CLEAN: tuple[str, ...] = (
    "上海市司法局发布了新的人民调解工作规范。",
    "王府井百货三楼的专柜本周打折。",
    "请把通知张贴在公告栏里。",
    "院子里的李子熟了，村民自己摘着吃。",
    "高速公路上发生追尾时应先打开双闪。",
    "劳动争议仲裁委员会每周二下午接待来访。",
    "申请人应当在收到通知后十五日内补正材料。",
    "小区业主大会表决通过了物业费调整方案。",
    "市场监管局提醒消费者保留购物凭证。",
    "调解协议经司法确认后具有强制执行力。",
    "黄山风景区门票实行预约制。",
    "周末的公益法律咨询在社区活动中心举行。",
    "江苏省高级人民法院发布了典型案例。",
    "白酒和黄酒的税率并不相同。",
    "医疗纠纷人民调解委员会不收取任何费用。",
    "村民小组长负责组织本组的土地丈量。",
    "交通事故责任认定书应在十日内送达。",
    "马路对面新开了一家面馆。",
    "高新技术企业可以享受税收优惠。",
    "该条款适用于所有全日制劳动合同。",
)
