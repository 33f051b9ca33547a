"""The fourth corpus, report half: HELD OUT. Do not open it when tuning the rules.

Same author, markup and labelling as tests/corpus/fourth.py, but no sentence or frame in
common with it; benchmarks/scrubber.py prints only its aggregate figures.
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

_ID1 = with_id_check("32058419680915227")
_ID2 = with_id_check("11010819920404171")
_ID3 = with_id_check("53010319870621346")
_CARD1 = with_luhn("622202100311874")
_CARD2 = with_luhn("625807004421379021")
_USCC1 = uscc_of("92", "440104", "L7Q2M8N3")
_VIN1 = with_vin_check("LSVAM4187E2190536")

_SOURCES: tuple[str, ...] = (
    "在吗？我«name|端木静»，昨天打你们热线没人接，我号码«mobile|177 2160 9938»",
    "麻烦转告«name|夏侯俊»，他的快递寄到«address|福建省厦门市思明区莲前西路862号之三702室»了",
    f"师傅您好，身份证号发您：«resident_id|{_ID1[:6]}–{_ID1[6:14]}–{_ID1[14:]}»，户口本明天补",
    "加我微信吧«wechat|Lxm-19930817»，语音说得清楚点",
    "我是«name|努尔艾力·阿卜杜拉»，护照«passport|E89127354»过期了，能先受理吗",
    f"打款账户«bank_card|{_CARD1}»，户名«name|公孙燕»",
    "联系人«name|冉小梅»，电话«mobile|+86-158-2877-0346»，或者找她老公",
    f"申请事项：请求裁决被申请人支付加班费。申请人«name|东方红梅»，女，«resident_id|{_ID2}»。",
    "被答辩人所称«name|许立新»、«name|许立强»兄弟二人共同出资一事与事实不符。",
    "申请人住址«address|云南省昆明市盘龙区北京路905号金色年华小区3栋2单元601室»，邮编650051。",
    f"被申请人个体工商户统一社会信用代码«uscc|{_USCC1}»，经营者«name|骆春生»。",
    "笔录：«name|罗»师傅说当天«name|曾宪文»开车把他的摩托撞了，对方车牌«plate|粤A·F92817»。",
    f"调解员问«name|颜秀英»是否同意分期付款，她表示同意，但要求第一期打到«bank_card|{_CARD2[:4]}-{_CARD2[4:8]}-{_CARD2[8:12]}-{_CARD2[12:16]}-{_CARD2[16:]}»。",
    "双方当事人：«name|蒋天宇»（甲方）与«name|褚玲»（乙方），地点«address|安徽省合肥市蜀山区南七街道望江西路66号»。",
    "退回原因：申请书未签名。请«name|付丽娜»本人签字后寄至«address|天津市和平区南京路219号»。",
    "补正告知：申请人«name|梁朝晖»提交的病历缺少住院号«hospital_no|2026-011873»对应的出院小结。",
    "来访记录：«name|卓玛»，藏族，随身携带澳门居民往来内地通行证«permit|M21938475»，请求协助讨薪。",
    "个案备注：服务对象«name|邱小红»由社工«name|范晓光»跟进，电话«landline|020-3822 1766-205»。",
    "请贵委将«case_no|（2026）京0108民初56781号»卷宗调阅件寄回，经办人«name|尹婷»。",
    "仲裁庭定于下月开庭，案号«case_no|深劳人仲案〔2026〕1442号»，申请人«name|毛俊杰»须按时到庭。",
    "12345工单：来电人«name|钟»先生反映«address|重庆市渝中区解放碑街道民族路188号»施工噪音，邮箱«email|zhong_wei2020＠126.com»。",
    f"来电号码«mobile|{full_width('19921735508')}»，来电人要求匿名，反映小区电梯故障。",
    f"座机«landline|0871-6531 9042»，来电人«name|段绍华»称其车辆«vin|{_VIN1}»被扣押。",
    "«address|山东省临沂市沂水县许家湖镇东官庄村第二村民小组»«name|刘大柱»反映土地承包费未发放。",
    "村委会调解：老«name|马»和«name|马二愣»兄弟两家为院墙高度吵了三年。",
    "«name|石春花»的QQ号«qq|2851093374»，她说村里的低保名单有问题。",
    "员工«name|车晓雯»在«address|浙江省宁波市鄞州区投资创业中心诚信路518号»工厂上班时受伤。",
    "业主«name|令狐冲»称物业将«address|陕西省西安市雁塔区科技路37号海星城市广场B座2108室»的门锁换了。",
    f"病人家属«name|符德明»、«name|符德芳»要求复印病历，患者身份证«resident_id|{full_width(_ID3)}»。",
    "离婚协议中«name|鲁国栋»同意女儿随母亲«name|解晓芸»生活。",
)

HANDWRITTEN: list[Doc] = [marked(s) for s in _SOURCES]

CLEAN: tuple[str, ...] = (
    "北京市人民检察院开展了公益诉讼专项活动。",
    "黄鹤楼景区节假日限流。",
    "社区将张榜公布补贴名单。",
    "杨梅季节到了，果农忙着采摘。",
    "省道沿线的加油站正常营业。",
    "法律援助中心为农民工提供免费代理。",
    "房屋租赁合同应当载明租赁期限。",
    "劳动者有权拒绝违章指挥。",
    "卫生健康委员会公布了投诉渠道。",
    "调解员应当保持中立。",
    "周边的商场十点开门。",
    "钱塘江大潮吸引了很多游客。",
    "消费者协会受理了大量预付卡投诉。",
    "石榴和柿子都是秋天的水果。",
    "人民法院应当在立案之日起五日内送达。",
    "村规民约须经村民会议讨论通过。",
    "车辆年检可以在网上预约。",
    "何时开庭以传票为准。",
    "工伤认定申请表可在窗口领取。",
    "林业部门禁止在防火期进山用火。",
)
