"""The console's page texts, Chinese then English (merged into `hub.web.i18n.TEXT`)."""

from __future__ import annotations

CONSOLE_TEXT: dict[str, tuple[str, str]] = {
    "console": ("控制台", "Console"),
    "console_menu": ("控制台菜单", "Console menu"),
    "c_today": ("今日概览", "Today"),
    "c_new": ("新分派待接收", "New, not yet acknowledged"),
    "c_overdue": ("超期督办（红灯）", "Overdue (red lights)"),
    "c_undeliverable": ("待人工分派", "Awaiting dispatch by hand"),
    "c_deadletters": ("投递失败（死信）", "Failed deliveries (dead letters)"),
    "c_pending_changes": ("待审核的名录变更", "Registry changes awaiting approval"),
    "c_registry": ("名录变更审核", "Registry approvals"),
    "c_complaints": ("投诉", "Complaints"),
    "c_workorders": ("工单", "Work orders"),
    "c_stats": ("统计分析", "Statistics"),
    "c_alerts": ("预警", "Early warnings"),
    "c_help": ("帮助文章", "Help articles"),
    "c_grants": ("数据授权", "Data-sharing grants"),
    "c_scope_all": (
        "您可查看全部机构（市司法局、管理员）。",
        "You see every institution (justice bureau, administrator).",
    ),
    "c_scope_unit": ("您可查看本单位所属机构。", "You see your own unit's institutions."),
    "c_none": ("暂无。", "None."),
    "c_all_institutions": ("全部机构", "All institutions"),
    "c_deadline": ("期限", "Deadline"),
    "c_due_at": ("截止时间", "Due"),
    "c_late": ("超期", "Late"),
    "c_dun": ("催办", "Press (催办)"),
    "c_dun_note": ("催办说明（可选）", "Note to the institution (optional)"),
    "c_dunned": (
        "已向承办机构发出催办：{no}。",
        "The institution has been pressed about {no}.",
    ),
    "c_dispatch_to": ("分派给", "Dispatch to"),
    "c_choose": ("请选择", "Choose"),
    "c_dispatch": ("分派", "Dispatch"),
    "c_dispatched": ("已分派：{no}。", "Dispatched: {no}."),
    "c_destination": ("接收方", "Destination"),
    "c_type": ("消息类型", "Message type"),
    "c_reason": ("失败原因", "Reason"),
    "c_attempts": ("尝试次数", "Attempts"),
    "c_dead_at": ("失败时间", "Failed at"),
    "c_replay": ("重发", "Replay"),
    "c_replay_all": ("重发该接收方的全部死信", "Replay every dead letter of this destination"),
    "c_replayed": (
        "已处理：重新排队 {replayed} 条，重新分派 {redispatched} 件，"
        "已过时未重发 {superseded} 条。",
        "Done: {replayed} queued again, {redispatched} cases dispatched again, "
        "{superseded} out of date and not sent.",
    ),
    "c_replay_what": (
        "请指定要重发的消息或接收方 / say which message or destination to replay",
        "Say which message or destination to replay",
    ),
    "c_all_destinations": ("全部接收方", "All destinations"),
    "c_more": ("更多", "More"),
}

#: Names of the console's form fields, for error lines (merged into `i18n.FIELD_NAMES`).
CONSOLE_FIELDS: dict[str, tuple[str, str]] = {
    "institution": ("解纷机构", "Institution"),
    "note": ("说明", "Note"),
    "action": ("变更类型", "Kind of change"),
    "data": ("变更内容", "What changes"),
    "answer": ("答复", "Answer"),
    "title": ("标题", "Title"),
    "body": ("正文", "Text"),
    "title_en": ("英文标题", "Title in English"),
    "body_en": ("英文正文", "Text in English"),
    "tags": ("标签", "Tags"),
    "category": ("纠纷类型", "Category"),
    "purpose": ("用途", "Purpose"),
    "fields": ("授权字段", "Fields"),
    "expires_on": ("到期日", "Expires on"),
    "approver": ("批准人", "Approver"),
    "scope": ("范围", "Scope"),
    "from": ("起始日期", "From"),
    "to": ("截止日期", "To"),
    "by": ("分组", "Group by"),
    "satisfied": ("是否满意", "Satisfied"),
}
