"""Page texts in Chinese and English, and the choice between them.

The language is `?lang=zh|en` when given (remembered in the `om_lang` cookie), else the
cookie, else Chinese. Service errors carry "中文 / English" details; `pick` keeps one side.
"""

from __future__ import annotations

from typing import Any

from hub.web.console.texts import CONSOLE_FIELDS, CONSOLE_TEXT, WORDS
from schemas.codes import (
    AGREEMENT_TYPES,
    CATEGORIES,
    DISTRICTS,
    REJECTION_REASONS,
    REMEDY_KINDS,
)

LANGS = ("zh", "en")
LANG_COOKIE = "om_lang"

TEXT: dict[str, tuple[str, str]] = {
    "site": ('解纷"一件事"枢纽', "OneMatter dispute resolution hub"),
    "skip": ("跳到正文", "Skip to content"),
    "nav": ("主导航", "Main navigation"),
    "home": ("首页", "Home"),
    "status_lookup": ("进度查询", "Check progress"),
    "faq": ("常见问题", "FAQ"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出登录", "Sign out"),
    "workbench": ("机构工作台", "Institution workbench"),
    "switch_lang": ("English", "中文"),
    "switch_lang_label": ("Switch to English", "切换为中文"),
    "home_intro": (
        "上海市矛盾纠纷多元化解“一件事”：群众在“一网通办”或“随申办”一次申请，"
        "本枢纽为申请编号（办件编号），分派给合适的解纷机构，按工作日跟踪受理、处理和结案，"
        "并把司法确认、仲裁和诉讼的转递及结果在法院、仲裁机构之间传递。",
        "Shanghai's one-stop dispute resolution: a citizen applies once on the city portal; "
        "this hub numbers the application, dispatches it to a suitable mediation institution, "
        "tracks acceptance, handling and closure against working-day deadlines, and relays "
        "judicial confirmation, arbitration and litigation hand-offs and their results.",
    ),
    "home_status": (
        "凭办件编号和查询码查看您的申请进展。",
        "See how your application stands, with its number and query code.",
    ),
    "home_faq": ("搜索常见问题解答。", "Search the answers to common questions."),
    "home_sign_in": (
        "主管单位、市司法局和管理员在此进入控制台；没有自有系统的解纷机构在此办理本机构的案件。",
        "Supervising units, the justice bureau and administrators open the console here; "
        "institutions without their own system handle their cases here.",
    ),
    "application_no": ("办件编号", "Application number"),
    "application_no_hint": (
        "格式如 {example}，可不带连字符",
        "Like {example}; hyphens optional",
    ),
    "query_code": ("查询码", "Query code"),
    "query_code_hint": (
        "申请时短信或页面告知的查询码",
        "The code you were given when you applied",
    ),
    "lookup": ("查询", "Look up"),
    "status": ("状态", "Status"),
    "institution": ("解纷机构", "Institution"),
    "timeline": ("办理过程", "Timeline"),
    "time": ("时间", "Time"),
    "step": ("环节", "Step"),
    "not_found": (
        "没有找到该办件，请核对办件编号和查询码。",
        "No application found: check the number and the query code.",
    ),
    "invalid_no": (
        "办件编号无效，请核对（格式 RRRRRR-YYYYMMDD-NNNNNN-C，最后一位为校验位）。",
        "That application number is invalid: check it (RRRRRR-YYYYMMDD-NNNNNN-C, "
        "the last character is a check character).",
    ),
    "missing_fields": ("请填写办件编号和查询码。", "Enter the number and the query code."),
    "search": ("搜索", "Search"),
    "faq_query": ("您的问题", "Your question"),
    "faq_none": ("没有找到相关解答。", "No answer found."),
    "faq_all": ("全部问题", "All questions"),
    "token": ("机构接口令牌", "Institution API token"),
    "token_hint": (
        "粘贴运维人员为本机构签发的令牌（om_ 开头）。令牌不会保存在浏览器中。",
        "Paste the token the operator issued to your institution (starts with om_). "
        "It is not stored in your browser.",
    ),
    "person_sign_in": ("个人账号登录", "Sign in with your account"),
    "person_hint": (
        "使用管理员为您开设的登录名和密码。首次登录请使用一次性密码，随后设置您自己的密码。",
        "Use the login and password the administrator gave you. The first time, use the "
        "one-time password; you then choose your own.",
    ),
    "token_sign_in": ("或：机构接口令牌登录", "Or: sign in with an institution's API token"),
    "login": ("登录名", "Login"),
    "password": ("密码", "Password"),
    "bad_token": ("令牌无效或已吊销。", "The token is invalid or revoked."),
    "bad_password": ("登录名或密码不正确。", "The login or the password is wrong."),
    "now_locked": (
        "连续输错 5 次，该登录名已锁定 {minutes} 分钟。",
        "Five wrong passwords in a row: this login is locked for {minutes} minutes.",
    ),
    "locked": (
        "该登录名因连续输错密码已被锁定，请 {minutes} 分钟后再试（在此之前正确的密码也无法登录）。",
        "This login is locked after repeated wrong passwords: try again in {minutes} minutes "
        "(until then even the right password is refused).",
    ),
    "account_disabled": (
        "该账号已停用，请联系管理员。",
        "This account is disabled: ask your administrator.",
    ),
    "password_title": ("设置密码", "Set your password"),
    "password_first": (
        "这是您第一次登录：请为自己设置一个新密码，之后一次性密码失效。",
        "This is your first sign-in: choose your own password; the one-time password then "
        "stops working.",
    ),
    "password_rule": (
        "至少 {n} 个字符，不能与登录名相同。建议使用一句话或几个词组合。",
        "At least {n} characters, not your login. A phrase of several words works well.",
    ),
    "current_password": ("当前密码", "Current password"),
    "new_password": ("新密码", "New password"),
    "repeat_password": ("再次输入新密码", "New password again"),
    "save_password": ("保存密码", "Save the password"),
    "change_password": ("修改密码", "Change password"),
    "not_institution": (
        "该令牌不属于解纷机构，只有机构令牌可登录工作台。",
        "This token is not an institution's; only institution tokens may sign in here.",
    ),
    "signed_out": ("您已退出登录。", "You are signed out."),
    "throttled": (
        "尝试次数过多，请 {minutes} 分钟后再试。在此之前即使填写正确也无法查询或登录。",
        "Too many attempts: try again in {minutes} minutes. Until then even the right "
        "answer is refused.",
    ),
    "session_expired": ("请先登录。", "Please sign in."),
    "csrf": (
        "表单已失效（安全校验未通过），请刷新页面后重试。",
        "The form has expired (security check failed): reload the page and try again.",
    ),
    "my_cases": ("本机构案件", "Our cases"),
    "no_cases": ("暂无案件。", "No cases yet."),
    "category": ("纠纷类型", "Category"),
    "district": ("区", "District"),
    "channel": ("渠道", "Channel"),
    "received_at": ("收到时间", "Received"),
    "updated_at": ("更新时间", "Updated"),
    "deadlines": ("期限", "Deadlines"),
    "overdue": ("已超期", "Overdue"),
    "overdue_by": ("超期 {h} 工作小时", "{h} working hours late"),
    "due": ("截止", "due"),
    "provisional": ("（暂定）", "(provisional)"),
    "open": ("查看", "Open"),
    "all_statuses": ("全部状态", "All statuses"),
    "filter": ("筛选", "Filter"),
    "prev": ("上一页", "Previous"),
    "first_page": ("回到第一页", "First page"),
    "pages": ("翻页", "Pages"),
    "next": ("下一页", "Next"),
    "case": ("案件", "Case"),
    "back_to_list": ("返回案件列表", "Back to the case list"),
    "applicants": ("申请人", "Applicants"),
    "respondents": ("被申请人", "Respondents"),
    "name": ("名称/姓名", "Name"),
    "id_number": ("证件号码", "ID number"),
    "phone": ("电话", "Phone"),
    "email": ("电子邮箱", "E-mail"),
    "address": ("地址", "Address"),
    "facts": ("纠纷事实", "Facts"),
    "claims": ("申请事项", "Claims"),
    "amount": ("标的金额（元）", "Amount (CNY)"),
    "occurred_on": ("发生日期", "Occurred on"),
    "occurred_place": ("发生地点", "Occurred at"),
    "attachments": ("附件", "Attachments"),
    "arbitration_agreement": ("有仲裁协议", "Arbitration agreement"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "outcome": ("结果", "Outcome"),
    "referrals": ("转递", "Hand-offs"),
    "actor": ("操作方", "By"),
    "details": ("内容", "Details"),
    "actions": ("办理操作", "Actions"),
    "no_actions": (
        "当前状态下没有可办理的操作。",
        "Nothing can be done in the current status.",
    ),
    "submit": ("提交", "Submit"),
    "note": ("备注（可选）", "Note (optional)"),
    "reason": ("理由", "Reason"),
    "willing": ("被申请人是否同意调解", "Is the respondent willing to mediate?"),
    "willing_yes": ("同意", "Willing"),
    "willing_no": ("不同意", "Not willing"),
    "willing_unknown": ("尚不明确", "Not yet known"),
    "agreement_summary": ("调解协议摘要", "Agreement summary"),
    "agreement_type": ("协议类型（代码，报送大数据中心）", "Agreement type (a shared code)"),
    "reason_code": ("理由类别（代码，报送大数据中心）", "Kind of reason (a shared code)"),
    "remedy_kinds": ("救济途径类别（代码，报送大数据中心）", "Kinds of remedy (shared codes)"),
    "codes_hint": (
        "大数据中心只收到这些代码，不会收到您填写的文字。",
        "The data bureau receives these codes only, never the text you write.",
    ),
    "not_chosen": ("未选择", "Not chosen"),
    "agreement_amount": ("协议金额（元，可选）", "Agreement amount (CNY, optional)"),
    "remedies": ("救济途径（调解不成时必填）", "Remedies (required when not settled)"),
    "outcome_success": ("调解成功", "Settled"),
    "outcome_failure": ("调解不成", "Not settled"),
    "referral_kind": ("转递类型", "Kind"),
    "referral_target": (
        "受理法院或仲裁机构编号（可选，不填则自动确定）",
        "Court or commission id (optional; chosen for you when empty)",
    ),
    "done": ("已办理：{what}。", "Done: {what}."),
    "conflict": (
        "该操作与办件当前状态不符，未作任何更改。当前状态：{status}。",
        "That action does not fit the case's current status; nothing was changed. "
        "Current status: {status}.",
    ),
    "invalid": ("提交内容有误，未作任何更改：", "Nothing was changed; please correct:"),
    "gone": (
        "没有这个办件，或它已不在本机构。",
        "No such case, or it is no longer with your institution.",
    ),
    "signed_in_as": ("当前登录：{name}", "Signed in as {name}"),
    "required": ("必填", "required"),
    "not_yours": ("您的账号无权打开此页面。", "Your account may not open this page."),
    "system_actor": ("系统", "System"),
    "yuan": ("{amount} 元", "CNY {amount}"),
    "days_late": ("超期 {d} 个工作日", "{d} working days late"),
    "late_today": ("已超期（不足 1 个工作日）", "late (less than a working day)"),
    "next_step": ("下一步", "Next step"),
    "due_by": ("办理期限：{when}", "Due by {when}"),
    "institution_phone": ("联系电话", "Phone"),
    "download": ("下载", "Download"),
    "imported": ("导入", "Imported"),
    "imported_from": ("导入的历史办件，来源：{source}", "Imported history, from {source}"),
    "target_auto": (
        "自动确定有管辖权的法院或仲裁机构",
        "Choose the competent court or commission for me",
    ),
    "courts": ("人民法院（司法确认、诉讼）", "Courts (judicial confirmation, litigation)"),
    "commissions": ("仲裁机构（仲裁、仲裁确认）", "Arbitration commissions"),
    "confirm_title": ("请确认：{what}", "Please confirm: {what}"),
    "confirm_warning": (
        "此操作提交后不能撤销，申请人将收到通知。请核对以下内容：",
        "This cannot be undone once submitted, and the applicant will be told. Check:",
    ),
    "confirm_yes": ("确认{what}", "Yes, {what}"),
    "confirm_back": ("返回修改", "Go back and change it"),
    "documents": ("送达文书", "Documents served"),
    "document_kind": ("文书类型", "Kind"),
    "served_at": ("送达时间", "Served"),
    "received_doc_at": ("签收时间", "Received"),
    "not_received": ("尚未签收", "Not yet received"),
    "serve_to": ("送达对象", "Served on"),
}

TEXT.update(CONSOLE_TEXT)

#: Roles, for steps taken by a party without a registry name.
ROLE_TEXT: dict[str, tuple[str, str]] = {
    "portal": ("一网通办门户", "The city portal"),
    "admin": ("管理员", "Administrator"),
    "unit": ("主管单位", "Supervising unit"),
    "institution": ("解纷机构", "Institution"),
    "court": ("人民法院", "Court"),
    "arbitration": ("仲裁机构", "Arbitration commission"),
    "databureau": ("数据局", "Data bureau"),
}

#: Outcomes of a closure and of a hand-off.
OUTCOME_TEXT: dict[str, tuple[str, str]] = {
    "success": ("调解成功", "Settled"),
    "failure": ("调解不成", "Not settled"),
    "confirmed": ("已确认", "Confirmed"),
    "rejected": ("驳回", "Rejected"),
    "award": ("作出裁决", "Award made"),
    "dismissed": ("驳回仲裁申请", "Dismissed"),
    "filed": ("已立案", "Filed"),
    "not_filed": ("不予立案", "Not filed"),
    "pending": ("待处理", "Pending"),
    "decided": ("已答复", "Answered"),
}

DOCUMENT_TEXT: dict[str, tuple[str, str]] = {
    "acceptance_notice": ("受理通知书", "Acceptance notice"),
    "rejection_notice": ("不予受理通知书", "Rejection notice"),
    "agreement": ("调解协议书", "Mediation agreement"),
    "closure_notice": ("结案通知书", "Closure notice"),
    "other": ("其他文书", "Other document"),
}

SERVE_TO_TEXT: dict[str, tuple[str, str]] = {
    "applicants": ("申请人", "Applicants"),
    "respondents": ("被申请人", "Respondents"),
    "both": ("双方当事人", "Both parties"),
}

EVENT_TEXT: dict[str, tuple[str, str]] = {
    "submitted": ("提交申请", "Submitted"),
    "numbered": ("生成办件编号", "Numbered"),
    "dispatched": ("分派至解纷机构", "Dispatched"),
    "received": ("机构接收", "Received"),
    "respondent_contacted": ("联系被申请人", "Respondent contacted"),
    "accepted": ("受理", "Accepted"),
    "rejected": ("不予受理", "Rejected"),
    "returned": ("退回（不属本机构受理范围）", "Returned (outside its scope)"),
    "closed": ("结案", "Closed"),
    "withdrawn": ("申请人撤回", "Withdrawn"),
    "undeliverable": ("待人工分派", "Awaiting manual dispatch"),
    "awaiting_dispatch": ("等待主管单位分派", "Waiting for the supervising unit to dispatch"),
    "referral_requested": ("申请转递", "Hand-off requested"),
    "referral_decided": ("转递结果", "Hand-off decided"),
    "document_served": ("送达文书", "Document served"),
    "document_received": ("当事人签收", "Document received by the party"),
    "deadline_moved": ("期限按节假日安排重新计算", "Deadline recounted on the holiday schedule"),
    "deadline_overdue": (
        "期限已过，已通知机构和主管单位",
        "Deadline missed; institution and unit told",
    ),
    "deadline_escalated": ("超期上报市司法局", "Escalated to the justice bureau"),
    "deadline_reminder": ("期限提醒", "Deadline reminder"),
    "dunned": ("主管单位催办", "Pressed by the supervising unit"),
    "reassigned": ("改派", "Reassigned"),
}

#: Form titles of the institution actions (INTERFACE 5).
ACTION_TEXT: dict[str, tuple[str, str]] = {
    "received": ("确认接收", "Acknowledge receipt"),
    "respondent_contacted": ("记录联系被申请人", "Record contact with the respondent"),
    "accepted": ("受理", "Accept"),
    "rejected": ("不予受理", "Reject"),
    "returned": ("退回", "Return"),
    "closed": ("结案", "Close"),
    "referral": ("申请转递", "Hand off"),
}

#: One line under each action form's title.
ACTION_HINT: dict[str, tuple[str, str]] = {
    "received": ("确认本机构已收到该案件。", "Confirm that your institution has the case."),
    "respondent_contacted": (
        "受理前后均可记录（收到后 3 个工作日内）。",
        "Record it before or after accepting (within 3 working days of receipt).",
    ),
    "accepted": ("决定受理该案件。", "Decide to take the case."),
    "rejected": (
        "须说明理由，理由将告知申请人。",
        "A reason is required; the applicant is told the reason.",
    ),
    "returned": (
        "不属本机构受理范围：枢纽将另行分派给其他合适机构。",
        "Outside your scope: the hub dispatches it to another suitable institution.",
    ),
    "closed": (
        "调解成功可填写协议摘要；调解不成须告知救济途径。",
        "Give the agreement when settled; remedies are required when not settled.",
    ),
    "referral": (
        "司法确认、仲裁确认、仲裁或诉讼；结果将回传本机构。",
        "Judicial or arbitral confirmation, arbitration or litigation; the result comes back.",
    ),
}

REFERRAL_TEXT: dict[str, tuple[str, str]] = {
    "judicial_confirmation": ("司法确认", "Judicial confirmation"),
    "arbitration_confirmation": ("仲裁确认", "Arbitration confirmation"),
    "arbitration": ("申请仲裁", "Arbitration"),
    "litigation": ("转诉讼", "Litigation"),
}

DEADLINE_TEXT: dict[str, tuple[str, str]] = {
    "acknowledge_by": ("接收期限", "Acknowledge by"),
    "respondent_contact_by": ("联系被申请人期限", "Contact the respondent by"),
    "decide_by": ("受理决定期限", "Decide by"),
    "referral_answer_by": ("转递答复期限", "Hand-off answer by"),
    "dispatch_by": ("分派期限", "Dispatch by"),
}

#: Names of the data fields shown in a timeline step.
FIELD_TEXT: dict[str, tuple[str, str]] = {
    "reason": ("理由", "Reason"),
    "note": ("备注", "Note"),
    "remedies": ("救济途径", "Remedies"),
    "reason_code": ("理由类别", "Kind of reason"),
    "remedy_kinds": ("救济途径类别", "Kinds of remedy"),
    "outcome": ("结果", "Outcome"),
    "willing": ("被申请人同意调解", "Respondent willing"),
    "agreement": ("调解协议", "Agreement"),
    "institution": ("解纷机构", "Institution"),
    "channel": ("渠道", "Channel"),
    "kind": ("转递类型", "Kind"),
    "target": ("法院/仲裁机构", "Court or commission"),
    "referral_id": ("转递编号", "Hand-off id"),
    "case_no": ("案号", "Case number"),
    "decided_on": ("决定日期", "Decided on"),
    "deadline": ("期限", "Deadline"),
    "due_at": ("截止时间", "Due"),
    "summary": ("摘要", "Summary"),
    "amount": ("金额", "Amount"),
    "type": ("协议类型", "Agreement type"),
    "to": ("改派至", "Moved to"),
    "name": ("名称", "Name"),
    "serve_to": ("送达对象", "Served on"),
    "working_days_late": ("超期工作日", "Working days late"),
    "received_at": ("签收时间", "Received"),
    "by": ("催办单位", "By"),
    "sha256": ("文件摘要（SHA-256）", "Digest (SHA-256)"),
    "media_type": ("文件类型", "File type"),
    "size": ("大小（字节）", "Size (bytes)"),
}

#: Names of form fields, for error lines that name the field in Chinese and English.
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "login": ("登录名", "Login"),
    "password": ("密码", "Password"),
    "current": ("当前密码", "Current password"),
    "repeat": ("再次输入新密码", "New password again"),
    "token": ("机构接口令牌", "API token"),
    "reason": ("理由", "Reason"),
    "remedies": ("救济途径", "Remedies"),
    "summary": ("调解协议摘要", "Agreement summary"),
    "amount": ("协议金额", "Agreement amount"),
    "agreement_type": ("协议类型", "Agreement type"),
    "reason_code": ("理由类别", "Kind of reason"),
    "remedy_kinds": ("救济途径类别", "Kinds of remedy"),
    "note": ("备注", "Note"),
    "willing": ("被申请人是否同意调解", "Respondent willing"),
    "outcome": ("结果", "Outcome"),
    "kind": ("转递类型", "Kind"),
    "target": ("受理法院或仲裁机构", "Court or commission"),
    "event_id": ("表单编号", "Form id"),
    "no": ("办件编号", "Application number"),
    "code": ("查询码", "Query code"),
}

FIELD_NAMES.update({k: v for k, v in CONSOLE_FIELDS.items() if k not in FIELD_NAMES})

CHANNEL_TEXT: dict[str, tuple[str, str]] = {
    "online": ("网上申请", "Online"),
    "window": ("窗口申请", "Walk-in"),
}


def choose(query_lang: str | None, cookie_lang: str | None) -> str:
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGS:
            return str(candidate)
    return "zh"


def pick(text: str, lang: str) -> str:
    """One side of a bilingual "中文 / English" message (the whole text if it has no slash)."""
    zh, sep, en = text.partition(" / ")
    if not sep:
        return text
    return en if lang == "en" else zh


class Texts:
    """What the templates call as `t`: `t("key", name=...)`, plus labelled code lookups."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._i = 1 if lang == "en" else 0

    def __call__(self, key: str, **fmt: Any) -> str:
        pair = TEXT.get(key)
        text = pair[self._i] if pair else key
        return text.format(**fmt) if fmt else text

    def _of(self, table: dict[str, tuple[str, str]], code: str | None) -> str:
        if code is None:
            return ""
        pair = table.get(code)
        return pair[self._i] if pair else code

    def status(self, code: str | None) -> str:
        from hub.services.records import STATUS_TEXT

        return self._of(STATUS_TEXT, code)

    def event(self, code: str | None) -> str:
        return self._of(EVENT_TEXT, code)

    def action(self, code: str | None) -> str:
        return self._of(ACTION_TEXT, code)

    def hint(self, code: str | None) -> str:
        return self._of(ACTION_HINT, code)

    def referral(self, code: str | None) -> str:
        return self._of(REFERRAL_TEXT, code)

    def deadline(self, code: str | None) -> str:
        return self._of(DEADLINE_TEXT, code)

    def field(self, code: str | None) -> str:
        return self._of(FIELD_TEXT, code)

    def channel(self, code: str | None) -> str:
        return self._of(CHANNEL_TEXT, code)

    @property
    def colon(self) -> str:
        return "：" if self.lang == "zh" else ": "

    @property
    def separator(self) -> str:
        return "；" if self.lang == "zh" else "; "

    def role(self, code: str | None) -> str:
        return self._of(ROLE_TEXT, code)

    def outcome(self, code: str | None) -> str:
        return self._of(OUTCOME_TEXT, code)

    def document_kind(self, code: str | None) -> str:
        return self._of(DOCUMENT_TEXT, code)

    def serve_to(self, code: str | None) -> str:
        return self._of(SERVE_TO_TEXT, code)

    @staticmethod
    def referral_kinds() -> frozenset[str]:
        return frozenset(REFERRAL_TEXT)

    def late(self, days: int) -> str:
        """Lateness as a clerk counts it: whole working days."""
        return self("days_late", d=days) if days else self("late_today")

    def field_name(self, code: str) -> str:
        """A form field named in both languages, the page's first: 理由（Reason）."""
        zh, en = FIELD_NAMES.get(code, (code, code))
        return f"{zh}（{en}）" if self.lang == "zh" else f"{en} ({zh})"

    def category(self, code: str | None) -> str:
        if code is None:
            return ""
        names = CATEGORIES.get(code)
        return names["en" if self.lang == "en" else "zh"] if names else code

    def _coded(self, table: dict[str, dict[str, str]], code: str | None) -> str:
        if code is None:
            return ""
        names = table.get(code)
        return names["en" if self.lang == "en" else "zh"] if names else code

    def reason_code(self, code: str | None) -> str:
        """A rejection-reason code in words (schemas/codes/rejection_reasons.json)."""
        return self._coded(REJECTION_REASONS, code)

    def remedy(self, code: str | None) -> str:
        """A remedy kind in words (schemas/codes/remedy_kinds.json)."""
        return self._coded(REMEDY_KINDS, code)

    def agreement_type(self, code: str | None) -> str:
        """An agreement type in words (schemas/codes/agreement_types.json)."""
        return self._coded(AGREEMENT_TYPES, code)

    @property
    def reason_codes(self) -> list[str]:
        return list(REJECTION_REASONS)

    @property
    def remedy_codes(self) -> list[str]:
        return list(REMEDY_KINDS)

    @property
    def agreement_codes(self) -> list[str]:
        return list(AGREEMENT_TYPES)

    def district(self, code: str | None) -> str:
        if code is None:
            return ""
        name = DISTRICTS.get(code)
        return f"{name} ({code})" if self.lang == "en" and name else (name or code)

    def word(self, code: str | None) -> str:
        """A code the console shows (registry change, state, complaint, work order)."""
        return self._of(WORDS, code)

    def message(self, code: str | None) -> str:
        """A message type in words, the code beside it: 催办（deadline.dunning）."""
        if not code:
            return ""
        family = code.split(".", 1)[0]
        pair = WORDS.get(f"msg_{code}") or WORDS.get(f"msg_{family}")
        if pair is None:
            return code
        return f"{pair[self._i]}（{code}）" if self.lang == "zh" else f"{pair[self._i]} ({code})"

    def pick(self, text: str) -> str:
        return pick(text, self.lang)
