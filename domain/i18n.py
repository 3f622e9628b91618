"""Everything the bot says, in English and Chinese. Dates and numbers are formatted with Babel.

`t(key, lang, **params)` looks a message up; a test asserts every key has both languages.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

LANGS = ("en", "zh")
_BABEL = {"en": "en_GB", "zh": "zh_CN"}

MESSAGES: dict[str, dict[str, str]] = {
    # values
    "kind.complaint": {"en": "Complaint", "zh": "投诉"},
    "kind.suggestion": {"en": "Suggestion", "zh": "建议"},
    "kind.inquiry": {"en": "Inquiry", "zh": "咨询"},
    "kind.praise": {"en": "Praise", "zh": "表扬"},
    "category.quality": {"en": "Quality", "zh": "质量"},
    "category.delivery": {"en": "Delivery", "zh": "交付"},
    "category.technical": {"en": "Technical", "zh": "技术"},
    "category.commercial": {"en": "Commercial", "zh": "商务"},
    "category.service": {"en": "Service", "zh": "服务"},
    "category.other": {"en": "Other", "zh": "其他"},
    "severity.AA": {"en": "AA — critical", "zh": "AA — 严重"},
    "severity.A": {"en": "A — important", "zh": "A — 重要"},
    "severity.B": {"en": "B — general", "zh": "B — 一般"},
    "status.draft": {"en": "Draft", "zh": "草稿"},
    "status.received": {"en": "Received", "zh": "已受理"},
    "status.withdrawn": {"en": "Withdrawn", "zh": "已撤回"},
    # field labels
    "field.kind": {"en": "Kind", "zh": "类型"},
    "field.category": {"en": "Category", "zh": "类别"},
    "field.severity": {"en": "Severity", "zh": "等级"},
    "field.department": {"en": "Department", "zh": "责任部门"},
    "field.customer": {"en": "Customer", "zh": "客户"},
    "field.reporter": {"en": "Reported by", "zh": "反馈人"},
    "field.text": {"en": "What happened", "zh": "反馈内容"},
    "field.part_numbers": {"en": "Part number(s)", "zh": "料号"},
    "field.lot_numbers": {"en": "Lot number(s)", "zh": "批号"},
    "field.quantity": {"en": "Quantity", "zh": "数量"},
    "field.line_stopped": {"en": "Customer's line stopped", "zh": "客户停线"},
    "field.deadlines": {"en": "Deadlines", "zh": "期限"},
    "field.status": {"en": "Status", "zh": "状态"},
    "field.received": {"en": "Received", "zh": "接收时间"},
    "yes": {"en": "yes", "zh": "是"},
    "unverified": {"en": "new customer, unverified", "zh": "新客户，未核实"},
    # the thread in the department's channel
    "parent.title": {"en": "{severity} {kind} from {customer}", "zh": "{customer} 的 {severity} 级{kind}"},
    "parent.ref": {"en": "{ref} · received {received}", "zh": "{ref} · 接收于 {received}"},
    "parent.because": {"en": "{severity} because: {why}", "zh": "定为 {severity} 级的原因：{why}"},
    "parent.withdrawn": {"en": "Withdrawn by {actor} on {when}. Nothing is deleted; the record stays in the ledger.",
                         "zh": "{actor} 于 {when} 撤回。记录不会删除，仍保留在台帐中。"},
    "parent.moved": {"en": "Moved to {channel} (department changed). Continue there.",
                     "zh": "已转至 {channel}（责任部门变更），请在该处继续处理。"},
    "ping.new": {"en": "{mention} new {severity} {kind} for {department}, reported by {reporter}. {first_due}",
                 "zh": "{mention} {department}有一条新的 {severity} 级{kind}，反馈人 {reporter}。{first_due}"},
    "ping.first_due": {"en": "{milestone} due {when}.", "zh": "{milestone}截止：{when}。"},
    "ping.also": {"en": "{mention} please join: a purchased component may be involved.",
                  "zh": "{mention} 请协同处理：可能涉及外购件/供应商。"},
    "note.withdrawn": {"en": "{actor} withdrew this item. No action is needed any more.",
                       "zh": "{actor} 撤回了此条反馈，无需继续处理。"},
    "note.reclassified": {"en": "{actor} changed the classification: {changes}",
                          "zh": "{actor} 修改了分类：{changes}"},
    # replies to the reporter
    "ack.working": {"en": "Got it — filing your feedback…", "zh": "收到，正在登记您的反馈…"},
    "confirm.filed": {"en": "Filed {ref}: {severity} {kind} for {customer}, sent to {department}: {link}",
                      "zh": "已登记 {ref}：{customer} 的 {severity} 级{kind}，已转{department}：{link}"},
    "confirm.thread": {"en": "open the thread", "zh": "查看讨论串"},
    "confirm.not_posted": {"en": "Saved as {ref}, but posting to the department's channel failed ({error}). It is kept and will be retried.",
                           "zh": "已保存为 {ref}，但发送到部门频道失败（{error}）。记录已保留，将自动重试。"},
    "confirm.pending": {"en": "Saved as {ref}; the post to the department is queued and will follow shortly.",
                        "zh": "已保存为 {ref}；发往部门的消息已排队，稍后送达。"},
    "confirm.withdrawn": {"en": "{ref} is withdrawn. The department has been told.", "zh": "{ref} 已撤回，已通知责任部门。"},
    "confirm.updated": {"en": "{ref} updated: {changes}", "zh": "{ref} 已更新：{changes}"},
    "confirm.unchanged": {"en": "Nothing changed.", "zh": "没有变更。"},
    "confirm.cancelled": {"en": "Discarded. Nothing was filed.", "zh": "已放弃，未登记。"},
    "proposal.intro": {"en": "I'm not sure how to file this one. My proposal:", "zh": "我不确定如何归类这条反馈。建议如下："},
    "proposal.customer_missing": {"en": "(customer not named)", "zh": "（未写客户）"},
    "proposal.no_customer": {"en": "Which customer is this about? Choose *Edit* and fill in the customer.",
                             "zh": "这是哪个客户的反馈？请点击*编辑*填写客户。"},
    "proposal.values": {"en": "{kind} · {category} · {severity} → {department}", "zh": "{kind} · {category} · {severity} → {department}"},
    "button.file": {"en": "File it", "zh": "确认登记"},
    "button.edit": {"en": "Edit…", "zh": "编辑…"},
    "button.cancel": {"en": "Discard", "zh": "放弃"},
    "button.change": {"en": "Change classification", "zh": "修改分类"},
    "button.undo": {"en": "Undo", "zh": "撤回"},
    # the form
    "modal.title": {"en": "Customer feedback", "zh": "客户反馈"},
    "modal.reclassify_title": {"en": "Change classification", "zh": "修改分类"},
    "modal.submit": {"en": "File", "zh": "登记"},
    "modal.save": {"en": "Save", "zh": "保存"},
    "modal.close": {"en": "Cancel", "zh": "取消"},
    "modal.auto": {"en": "(let the bot decide)", "zh": "（由系统判断）"},
    "modal.text_hint": {"en": "What did the customer say? Part, lot, quantity, impact…",
                        "zh": "客户反馈了什么？料号、批号、数量、影响……"},
    "modal.customer_hint": {"en": "e.g. Geely Ningbo", "zh": "例如：吉利宁波"},
    # help and errors
    "help.usage": {"en": "Type `/feedback Customer: what they said`, e.g. `/feedback Geely Ningbo: connectors in lot 23-1107 don't fit, their line stopped`. `/feedback` alone opens the form.",
                   "zh": "输入 `/feedback 客户: 反馈内容`，例如 `/feedback 吉利宁波: 23-1107批连接器装不上，客户停线`。只输入 `/feedback` 会打开表单。"},
    "error.empty_body": {"en": "What did {customer} say? Add it after the colon: `/feedback {customer}: what happened`.",
                         "zh": "{customer} 反馈了什么？请写在冒号后面：`/feedback {customer}: 具体内容`。"},
    "error.required": {"en": "Please fill this in.", "zh": "请填写此项。"},
    "error.too_long": {"en": "Too long: at most {limit} characters.", "zh": "内容过长：最多 {limit} 个字符。"},
    "error.generic": {"en": "Sorry, something went wrong on our side. Your input was kept; please try again in a minute.",
                      "zh": "抱歉，系统出现问题。您的输入已保留，请稍后再试。"},
    "error.not_found": {"en": "That item no longer exists.", "zh": "找不到这条记录。"},
    "error.not_allowed": {"en": "Only the person who reported it (or a department manager) can do that.",
                          "zh": "只有反馈人（或部门经理）可以执行此操作。"},
    "error.too_late_to_undo": {"en": "It is more than {minutes} minutes since it was filed, so it can no longer be undone here. Ask the department to withdraw it in the thread.",
                               "zh": "登记已超过 {minutes} 分钟，无法在此撤回。请在讨论串中请责任部门撤回。"},
    "error.invalid_value": {"en": "{field}: that value is not allowed.", "zh": "{field}：该值无效。"},
    "error.already_withdrawn": {"en": "This item was withdrawn; it can no longer be changed.", "zh": "此条已撤回，无法再修改。"},
    "dm.hint": {"en": "Tell me about customer feedback like this: `Geely Ningbo: connectors don't fit, their line stopped`.",
                "zh": "请这样告诉我客户反馈：`吉利宁波: 连接器装不上，客户停线`。"},
    # the lifecycle (domain/lifecycle/)
    "status.acknowledged": {"en": "Acknowledged", "zh": "已确认"},
    "status.contained": {"en": "Contained", "zh": "已围堵"},
    "status.root_caused": {"en": "Root cause found", "zh": "已找到根本原因"},
    "status.corrective_action": {"en": "Corrective action", "zh": "纠正措施"},
    "status.preventive_action": {"en": "Preventive action", "zh": "预防措施"},
    "status.verified": {"en": "Verified", "zh": "已验证"},
    "status.closed": {"en": "Closed", "zh": "已关闭"},
    "status.not_ours": {"en": "Not our responsibility", "zh": "非我方责任"},
    "status.waiting_on_customer": {"en": "Waiting on customer", "zh": "等待客户"},
    "status.answered": {"en": "Answered", "zh": "已答复"},
    "action.take_ownership": {"en": "Take ownership", "zh": "认领"},
    "action.record_containment": {"en": "Record containment", "zh": "记录围堵措施"},
    "action.amend_containment": {"en": "Amend containment", "zh": "补充围堵措施"},
    "action.record_root_cause": {"en": "Record root cause", "zh": "记录根本原因"},
    "action.amend_root_cause": {"en": "Amend root cause", "zh": "补充根本原因"},
    "action.add_corrective_action": {"en": "Add corrective action", "zh": "添加纠正措施"},
    "action.add_more_corrective": {"en": "Add corrective action", "zh": "添加纠正措施"},
    "action.add_preventive_action": {"en": "Add preventive action", "zh": "添加预防措施"},
    "action.add_more_preventive": {"en": "Add preventive action", "zh": "添加预防措施"},
    "action.mark_action_done": {"en": "Mark action done", "zh": "标记措施完成"},
    "action.mark_action_verified": {"en": "Mark action verified", "zh": "标记措施已验证"},
    "action.record_verification": {"en": "Record verification", "zh": "记录验证"},
    "action.record_customer_acceptance": {"en": "Record customer acceptance", "zh": "记录客户认可"},
    "action.request_closure": {"en": "Request closure", "zh": "申请关闭"},
    "action.approve_closure": {"en": "Approve closure", "zh": "批准关闭"},
    "action.send_back": {"en": "Send back", "zh": "退回"},
    "action.not_ours": {"en": "Not ours", "zh": "非我方责任"},
    "action.customer_told": {"en": "Customer told", "zh": "已告知客户"},
    "action.wait_on_customer": {"en": "Waiting on customer", "zh": "等待客户"},
    "action.resume": {"en": "Resume", "zh": "继续处理"},
    "action.withdraw": {"en": "Withdraw", "zh": "撤回"},
    "action.reassign": {"en": "Reassign", "zh": "转派"},
    "action.add_department": {"en": "Add department", "zh": "增加协同部门"},
    "action.change_severity": {"en": "Change severity", "zh": "修改等级"},
    "action.reopen": {"en": "Reopen", "zh": "重新打开"},
    "action.eight_d": {"en": "8D report", "zh": "8D报告"},
    "action.send_8d": {"en": "Send 8D report", "zh": "发送8D报告"},
    "action.answer": {"en": "Answer", "zh": "答复"},
    "action.close": {"en": "Close", "zh": "关闭"},
    "who.dept_member": {"en": "the responsible department", "zh": "责任部门"},
    "who.dept": {"en": "the responsible department", "zh": "责任部门"},
    "who.manager": {"en": "a manager", "zh": "经理"},
    "who.qm": {"en": "the quality manager", "zh": "品质经理"},
    "who.reporter": {"en": "the reporter or sales", "zh": "反馈人或营业部"},
    "who.anyone": {"en": "anyone", "zh": "任何人"},
    "refusal.wrong_kind": {"en": "{action} does not apply to a {kind}.", "zh": "{action}不适用于{kind}。"},
    "refusal.not_in_state": {"en": "{action} is not possible while the item is {status}.", "zh": "当前状态为“{status}”，不能{action}。"},
    "refusal.stale": {"en": "Someone got there first: the item is now {status}, so {action} was not applied.",
                      "zh": "已有人处理：当前状态为“{status}”，{action}未执行。"},
    "refusal.wrong_role": {"en": "Only {who} can {action}.", "zh": "只有{who}可以{action}。"},
    "refusal.no_role": {"en": "You have no role in VOC Desk yet, so you cannot {action}. Ask an admin to add you to the policy.",
                        "zh": "您尚未在VOC Desk中分配角色，不能{action}。请联系管理员在策略中添加。"},
    "refusal.closure_gate": {"en": "It cannot close yet. Missing: {missing}", "zh": "暂不能关闭，还缺：{missing}"},
    "refusal.awaiting_approval": {"en": "Closure is already waiting for the quality manager's approval.", "zh": "关闭申请已在等待品质经理批准。"},
    "refusal.no_closure_request": {"en": "Nobody has requested closure.", "zh": "尚无人申请关闭。"},
    "refusal.corrective_not_done": {"en": "Verify after the fix: mark a corrective action done first.", "zh": "请先完成纠正措施，再记录验证。"},
    "refusal.no_actions": {"en": "There is no action to mark yet.", "zh": "还没有可标记的措施。"},
    "refusal.missing_field": {"en": "{field}: please fill this in.", "zh": "{field}：请填写此项。"},
    "refusal.invalid_field": {"en": "{field}: that value is not allowed.", "zh": "{field}：该值无效。"},
    "refusal.unknown_action": {"en": "Unknown action.", "zh": "未知操作。"},
    "gate.no_corrective": {"en": "a corrective action", "zh": "纠正措施"},
    "gate.corrective_open": {"en": "{count} corrective action(s) not done", "zh": "{count} 项纠正措施未完成"},
    "gate.clean_batches": {"en": "{needed} clean batches after the fix ({have} recorded)", "zh": "纠正后连续 {needed} 批无不良（已记录 {have} 批）"},
    "gate.no_preventive_done": {"en": "a preventive action done", "zh": "已完成的预防措施"},
    "gate.no_documents": {"en": "the documents updated by the preventive action (PFMEA, control plan, work instruction)",
                          "zh": "预防措施更新的文件（PFMEA、控制计划、作业指导书）"},
    "gate.customer_acceptance": {"en": "the customer's acceptance", "zh": "客户认可"},
}


def t(key: str, lang: str = "en", **params) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params else text


def lang_of_locale(locale: str | None, default: str = "en") -> str:
    """Slack locale (en-US, zh-CN, zh-TW, ...) -> 'en' | 'zh'."""
    if not locale:
        return default
    return "zh" if locale.lower().startswith("zh") else "en"


def fmt_when(moment: datetime, tz: ZoneInfo, lang: str) -> str:
    """A UTC moment shown in the company's zone, e.g. '22 Nov 2026, 14:05' / '2026年11月22日 14:05'."""
    aware = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(tz)
    pattern = "yyyy年M月d日 HH:mm" if lang == "zh" else "d MMM yyyy, HH:mm"
    return format_datetime(aware, pattern, locale=_BABEL.get(lang, "en_GB"))


def ref(item_id: int | None) -> str:
    return f"VOC-{item_id}"
