"""What each notice to a person says (申请人通知, 待办提醒): Chinese first, then English.

The notify connector sends these by SMS and e-mail. Every notice type the hub writes has
its own text here (`RENDERERS`); a test checks that each type written anywhere in the code
has one, and that no text is left with an empty number or status. Texts name what the
person needs: the number, what happened, what to do next; never a raw code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SIGNATURE = "【解纷一件事】"

_OUTCOMES = {
    "confirmed": ("已确认", "was confirmed"),
    "rejected": ("被驳回", "was rejected"),
    "award": ("已作出裁决", "ended in an award"),
    "dismissed": ("已驳回申请", "was dismissed"),
    "filed": ("已立案", "was filed"),
    "not_filed": ("未予立案", "was not filed"),
}
_REFERRALS = {
    "judicial_confirmation": ("司法确认", "judicial confirmation"),
    "arbitration_confirmation": ("仲裁确认", "arbitration confirmation"),
    "arbitration": ("仲裁", "arbitration"),
    "litigation": ("诉讼", "litigation"),
}
_DOCUMENTS = {
    "acceptance_notice": ("受理通知书", "notice of acceptance"),
    "rejection_notice": ("不予受理通知书", "notice of rejection"),
    "agreement": ("调解协议书", "mediation agreement"),
    "closure_notice": ("结案通知书", "notice of closure"),
    "other": ("文书", "document"),
}
_DEADLINES = {
    "acknowledge_by": ("签收", "acknowledge the case"),
    "respondent_contact_by": ("联系被申请人", "contact the respondent"),
    "decide_by": ("作出受理决定", "decide to accept or reject"),
    "referral_answer_by": ("答复转介", "answer the referral"),
    "answer_by": ("答复工单", "answer the work order"),
}
_DEFAULT_REMEDIES = ("可依法申请仲裁或向人民法院起诉", "arbitration or a lawsuit in court")


@dataclass(frozen=True)
class Notice:
    subject_zh: str
    subject_en: str
    text_zh: str
    text_en: str

    @property
    def subject(self) -> str:
        return f"{self.subject_zh} / {self.subject_en}"

    @property
    def text(self) -> str:
        """The message body: the signature, the Chinese text, then the English one."""
        return f"{SIGNATURE}{self.text_zh}\n{self.text_en}"


Renderer = Callable[[str, dict[str, Any]], Notice]


def _numbered(no: str, d: dict[str, Any]) -> Notice:
    code = d.get("query_code", "")
    return Notice(
        f"申请已提交（办件编号 {no}）",
        f"Application submitted ({no})",
        f"您的纠纷化解申请已提交，办件编号 {no}，查询码 {code}。"
        "解纷机构将在 3 个工作日内决定是否受理；请妥善保管查询码，凭编号和查询码可查询进度。",
        f"Your application {no} was submitted; query code {code}. The institution decides "
        "within 3 working days whether to accept it; keep the code to follow progress.",
    )


def _accepted(no: str, d: dict[str, Any]) -> Notice:
    return Notice(
        f"办件 {no} 已受理",
        f"Case {no} accepted",
        f"您的办件 {no} 已由解纷机构受理，机构将与您联系，请保持电话畅通。",
        f"Your case {no} was accepted; the institution will contact you.",
    )


def _rejected(no: str, d: dict[str, Any]) -> Notice:
    reason = d.get("reason_text") or d.get("reason") or "未说明"
    return Notice(
        f"办件 {no} 不予受理",
        f"Case {no} not accepted",
        f"您的办件 {no} 未被受理。原因：{reason}。如有疑问请联系受理机构。",
        f"Your case {no} was not accepted. Reason: {reason}.",
    )


def _closed(no: str, d: dict[str, Any]) -> Notice:
    if d.get("outcome") == "success":
        return Notice(
            f"办件 {no} 调解成功",
            f"Case {no} settled",
            f"您的办件 {no} 已调解成功并结案。达成的调解协议可申请司法确认。",
            f"Your case {no} was settled and closed; the agreement may be judicially confirmed.",
        )
    zh, en = _DEFAULT_REMEDIES
    remedies = d.get("remedies")
    return Notice(
        f"办件 {no} 调解未成功",
        f"Case {no} not settled",
        f"您的办件 {no} 调解未成功，已结案。救济途径：{remedies or zh}。",
        f"Your case {no} was closed without a settlement. Remedies: {remedies or en}.",
    )


def _referral_result(no: str, d: dict[str, Any]) -> Notice:
    what_zh, what_en = _REFERRALS.get(str(d.get("kind")), ("转介", "hand-off"))
    out_zh, out_en = _OUTCOMES.get(str(d.get("outcome")), ("已有结果", "has a result"))
    case_no = d.get("case_no")
    zh_no, en_no = (f"（案号 {case_no}）", f" (case {case_no})") if case_no else ("", "")
    return Notice(
        f"办件 {no} {what_zh}结果",
        f"Case {no}: {what_en} result",
        f"您的办件 {no} 的{what_zh}申请{out_zh}{zh_no}。",
        f"The {what_en} of your case {no} {out_en}{en_no}.",
    )


def _withdrawn(no: str, d: dict[str, Any]) -> Notice:
    return Notice(
        f"办件 {no} 已撤回",
        f"Case {no} withdrawn",
        f"您的办件 {no} 已按您的申请撤回。",
        f"Your case {no} was withdrawn at your request.",
    )


def _complaint_received(no: str, d: dict[str, Any]) -> Notice:
    cno, code = d.get("complaint_no", ""), d.get("query_code", "")
    return Notice(
        f"投诉已受理（{cno}）",
        f"Complaint received ({cno})",
        f"您的投诉已受理，投诉编号 {cno}，查询码 {code}。主管单位将调查并答复。",
        f"Your complaint {cno} was received; query code {code}. The supervising unit will "
        "investigate and answer.",
    )


def _complaint_answered(no: str, d: dict[str, Any]) -> Notice:
    cno = d.get("complaint_no", "")
    return Notice(
        f"投诉已答复（{cno}）",
        f"Complaint answered ({cno})",
        f"您的投诉 {cno} 已答复：{d.get('answer', '')}",
        f"Your complaint {cno} was answered: {d.get('answer', '')}",
    )


def _workorder_received(no: str, d: dict[str, Any]) -> Notice:
    wno, code, due = d.get("workorder_no", ""), d.get("query_code", ""), d.get("answer_by", "")
    return Notice(
        f"工单已登记（{wno}）",
        f"Request registered ({wno})",
        f"您的诉求已登记，工单编号 {wno}，查询码 {code}，将于 {due[:10]} 前答复。",
        f"Your request {wno} was registered (query code {code}); answer due by {due[:10]}.",
    )


def _workorder_answered(no: str, d: dict[str, Any]) -> Notice:
    wno = d.get("workorder_no", "")
    return Notice(
        f"工单已答复（{wno}）",
        f"Request answered ({wno})",
        f"您的工单 {wno} 已答复：{d.get('answer', '')}",
        f"Your request {wno} was answered: {d.get('answer', '')}",
    )


def _document_served(no: str, d: dict[str, Any]) -> Notice:
    zh, en = _DOCUMENTS.get(str(d.get("kind")), _DOCUMENTS["other"])
    link = d.get("link", "")
    return Notice(
        f"办件 {no} 送达{zh}",
        f"Case {no}: {en} served",
        f"您的办件 {no} 有一份{zh}送达，请登录一网通办查看签收：{link}",
        f"A {en} was served in your case {no}; open it on the portal to sign for it: {link}",
    )


def _duty_reminder(no: str, d: dict[str, Any]) -> Notice:
    zh, en = _DEADLINES.get(str(d.get("deadline")), ("办理", "act"))
    what = d.get("what", "reminder")
    due = str(d.get("due_at", ""))
    subject = d.get("workorder_no") or no
    if what == "dunning":
        return Notice(
            f"催办：{subject}",
            f"Dunning: {subject}",
            f"催办：{subject} 的「{zh}」期限 {due[:16]} 已过，仍未办理，请尽快处理。",
            f"Dunning: the deadline to {en} for {subject} ({due[:16]}) has passed.",
        )
    if what == "overdue":
        return Notice(
            f"超期：{subject}",
            f"Overdue: {subject}",
            f"{subject} 的「{zh}」期限 {due[:16]} 已届满，已标记为超期，请立即办理。",
            f"{subject}: the deadline to {en} ({due[:16]}) passed; marked overdue.",
        )
    return Notice(
        f"待办提醒：{subject}",
        f"To do: {subject}",
        f"待办提醒：{subject} 的「{zh}」期限 {due[:16]} 将至，请及时办理。",
        f"Reminder: the deadline to {en} for {subject} is {due[:16]}.",
    )


RENDERERS: dict[str, Renderer] = {
    "numbered": _numbered,
    "accepted": _accepted,
    "rejected": _rejected,
    "closed": _closed,
    "referral_result": _referral_result,
    "withdrawn": _withdrawn,
    "complaint_received": _complaint_received,
    "complaint_answered": _complaint_answered,
    "workorder_received": _workorder_received,
    "workorder_answered": _workorder_answered,
    "document_served": _document_served,
    "duty_reminder": _duty_reminder,
}


def render(envelope: dict[str, Any]) -> Notice:
    """The notice of an outbox envelope `{type: "notice.<kind>", application_no, data}`."""
    data = envelope.get("data") or {}
    kind = data.get("notice") or str(envelope.get("type", "")).removeprefix("notice.")
    renderer = RENDERERS.get(kind)
    if renderer is None:
        raise KeyError(f"no text for notice {kind!r}")
    return renderer(envelope.get("application_no") or "", data)


__all__ = ["RENDERERS", "SIGNATURE", "Notice", "render"]
