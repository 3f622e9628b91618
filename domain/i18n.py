"""Everything the bot says, in English and Chinese. Dates and numbers are formatted with Babel.

`t(key, lang, **params)` looks a message up; a test asserts every key has both languages.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from domain.messages_customers import CUSTOMER_MESSAGES
from domain.messages_eightd import EIGHTD_MESSAGES
from domain.messages_approvals import APPROVAL_MESSAGES
from domain.messages_facts import FACTS_MESSAGES
from domain.messages_intake import INTAKE_MESSAGES
from domain.messages_ledger import LEDGER_MESSAGES
from domain.messages_reports import REPORT_MESSAGES
from domain.messages_roles import ROLES_MESSAGES
from domain.messages_satisfaction import SATISFACTION_MESSAGES
from domain.messages_sla import SLA_MESSAGES
from domain.messages_steps import STEP_MESSAGES
from domain.messages_visits import VISIT_MESSAGES
from domain.messages_teams import TEAMS_MESSAGES
from domain.messages_work import WORK_MESSAGES
from domain.messages_records import RECORD_MESSAGES

LANGS = ("en", "zh")
BABEL_LOCALE = {"en": "en_GB", "zh": "zh_CN"}

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
    "field.files": {"en": "Files", "zh": "附件"},
    "field.deadlines": {"en": "Deadlines", "zh": "期限"},
    "field.status": {"en": "Status", "zh": "状态"},
    "field.received": {"en": "Received", "zh": "接收时间"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
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
    "confirm.deadlines": {"en": "*Deadlines that apply* ({zone} time):", "zh": "*适用的期限*（{zone} 时间）："},
    "confirm.not_posted": {"en": "Saved as {ref}, but posting to the department's channel failed ({error}). It is kept and will be retried.",
                           "zh": "已保存为 {ref}，但发送到部门频道失败（{error}）。记录已保留，将自动重试。"},
    "confirm.pending": {"en": "Saved as {ref}; the post to the department is queued and will follow shortly.",
                        "zh": "已保存为 {ref}；发往部门的消息已排队，稍后送达。"},
    "confirm.withdrawn": {"en": "{ref} is withdrawn. The department has been told.", "zh": "{ref} 已撤回，已通知责任部门。"},
    "confirm.updated": {"en": "{ref} updated: {changes}", "zh": "{ref} 已更新：{changes}"},
    "confirm.unchanged": {"en": "Nothing changed.", "zh": "没有变更。"},
    "confirm.already_withdrawn": {"en": "{ref} was already withdrawn.", "zh": "{ref} 已经撤回过了。"},
    "confirm.already_filed": {"en": "This was already filed as {ref}.", "zh": "这条已登记为 {ref}。"},
    "confirm.already_discarded": {"en": "This draft was already discarded; nothing was filed.", "zh": "这条草稿已放弃，未登记。"},
    "confirm.corrected": {"en": "{ref} corrected: {changes}", "zh": "{ref} 已更正：{changes}"},
    "button.correct": {"en": "Correct details…", "zh": "更正信息…"},
    "modal.correct_title": {"en": "Correct the details", "zh": "更正信息"},
    "proposal.reminder": {"en": "Still waiting for you: this feedback is not filed yet. File it, edit it or discard it.",
                          "zh": "还在等您确认：这条反馈尚未登记。请登记、修改或放弃。"},
    "parent.unconfirmed": {"en": "Filed by VOC Desk without the reporter's confirmation ({minutes} min after it was reported, because of an AA trigger).",
                           "zh": "因触发AA条件，报告人未确认，VOC Desk 在报告后 {minutes} 分钟自动登记。"},
    "containment.where.stock": {"en": "In stock", "zh": "库存"},
    "containment.where.wip": {"en": "Work in process", "zh": "在制品"},
    "containment.where.transit": {"en": "In transit", "zh": "在途"},
    "containment.where.customer": {"en": "At the customer", "zh": "客户处"},
    "containment.checked": {"en": "{where}: checked", "zh": "{where}：检查数量"},
    "containment.bad": {"en": "{where}: found bad", "zh": "{where}：不良数量"},
    "containment.sorting_method": {"en": "Sorting method", "zh": "挑选方法"},
    "containment.sorting_result": {"en": "Sorting result", "zh": "挑选结果"},
    "containment.countermeasure": {"en": "Short-term countermeasure", "zh": "临时对策"},
    "containment.customer_informed": {"en": "Customer informed", "zh": "已通知客户"},
    "containment.title": {"en": "Record containment", "zh": "记录围堵措施"},
    "error.not_a_count": {"en": "A whole number, 0 or more.", "zh": "请输入0或正整数。"},
    "error.count_too_large": {"en": "At most {max}.", "zh": "最多 {max}。"},
    "note.contained": {"en": "{actor} recorded containment: {summary}. {reporter}, containment is in place: please tell the customer.",
                       "zh": "{actor} 已记录围堵措施：{summary}。{reporter}，围堵已到位，请告知客户。"},
    "note.took_ownership": {"en": "{actor} took ownership. Record the first contact once the customer is reached.",
                            "zh": "{actor} 已认领。联系客户后请记录首次联系。"},
    "note.lifecycle": {"en": "{actor}: {action}.", "zh": "{actor}：{action}。"},
    "button.take_ownership": {"en": "Take ownership", "zh": "认领"},
    "parent.status": {"en": "*Status:* {status}", "zh": "*状态：*{status}"},
    "parent.owner": {"en": "*Owner:* {owner}", "zh": "*负责人：*{owner}"},
    "ack.looking": {"en": "Looking it up…", "zh": "正在查找…"},
    "complaint.help": {"en": "`/complaint VOC-42` shows one item with its buttons; `/complaint VOC-42 history` its audit trail (who changed what, when); `/complaint VOC-42 8d` its 8D report. `/complaints` lists items: `/complaints` yours, `/complaints dept`, `/complaints open`, `/complaints overdue`, `/complaints <customer>`. `/feedback` logs new feedback.",
                       "zh": "`/complaint VOC-42` 查看一条记录及其按钮；`/complaint VOC-42 history` 查看其审计记录（谁在何时改了什么）；`/complaint VOC-42 8d` 查看其8D报告。`/complaints` 列出记录：`/complaints` 我的、`/complaints 部门`、`/complaints 未结`、`/complaints 逾期`、`/complaints <客户>`。`/feedback` 登记新反馈。"},
    "complaint.unknown_ref": {"en": "There is no {ref}. Write it as VOC-42 or 42.", "zh": "没有 {ref}。请写成 VOC-42 或 42。"},
    "complaint.history_title": {"en": "History of {ref}", "zh": "{ref} 的历史记录"},
    "complaint.history_page": {"en": "Events {first}–{last} of {total}, newest first", "zh": "第 {first}–{last} 条，共 {total} 条，最新的在前"},
    "complaint.history_newer": {"en": "Newer", "zh": "较新"},
    "complaint.history_older": {"en": "Older", "zh": "较早"},
    "event.received": {"en": "received", "zh": "收到"},
    "event.filed": {"en": "filed", "zh": "登记"},
    "event.filed_unconfirmed": {"en": "filed without the reporter's confirmation", "zh": "未经报告人确认自动登记"},
    "event.reclassified": {"en": "classification changed", "zh": "修改分类"},
    "event.corrected": {"en": "details corrected", "zh": "更正信息"},
    "event.withdrawn": {"en": "withdrawn", "zh": "撤回"},
    "event.draft_cancelled": {"en": "draft discarded", "zh": "放弃草稿"},
    "event.added_to": {"en": "added to an item already filed", "zh": "并入已登记的记录"},
    "event.reported_again": {"en": "reported again by another person", "zh": "他人再次反馈"},
    "event.answered": {"en": "answered the bot's question", "zh": "回答了机器人的提问"},
    "event.conversation_cancelled": {"en": "stopped answering the bot's questions", "zh": "停止回答机器人的提问"},
    "event.satisfaction.survey": {"en": "satisfaction survey recorded", "zh": "录入满意度调查"},
    "event.satisfaction.entry": {"en": "satisfaction event recorded", "zh": "录入满意度事件"},
    "event.satisfaction.entry_confirmed": {"en": "satisfaction event confirmed", "zh": "确认满意度事件"},
    "event.satisfaction.entry_declined": {"en": "satisfaction event declined", "zh": "驳回满意度事件"},
    "event.satisfaction.task_answer": {"en": "improvement task answered", "zh": "回复改进任务"},
    "event.satisfaction.task_closed": {"en": "improvement task closed", "zh": "关闭改进任务"},
    "note.corrected": {"en": "{actor} corrected: {changes}", "zh": "{actor} 更正了：{changes}"},
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
    "error.generic": {"en": "Sorry, something went wrong on our side and this could not be completed. Please try again in a minute.",
                      "zh": "抱歉，系统出现问题，此操作未能完成。请稍后再试。"},
    "error.value_refused": {"en": "A number in what you sent is out of range and could not be stored. Check it and send it again.",
                            "zh": "您发送的内容中有数值超出范围，无法保存。请检查后重新发送。"},
    "error.hand_back": {"en": "Here is what you sent, to send again:", "zh": "以下是您发送的内容，可复制后重新发送："},
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
    "action.hand_over": {"en": "Hand over to the successor", "zh": "移交接替人"},
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
    "who.admin": {"en": "an admin", "zh": "管理员"},
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
    "refusal.deadline_not_running": {"en": "That deadline is not running any more (met, paused or ended): nothing to snooze.",
                                     "zh": "该节点已不在计时（已完成、暂停或已结束），无需推迟提醒。"},
    "refusal.aa_overdue_no_snooze": {"en": "An overdue AA deadline cannot be snoozed.", "zh": "AA 级已逾期的节点不能推迟提醒。"},
    "refusal.unknown_action": {"en": "Unknown action.", "zh": "未知操作。"},
    "gate.no_corrective": {"en": "a corrective action", "zh": "纠正措施"},
    "gate.corrective_open": {"en": "{count} corrective action(s) not done", "zh": "{count} 项纠正措施未完成"},
    "gate.clean_batches": {"en": "{needed} clean batches after the fix ({have} recorded)", "zh": "纠正后连续 {needed} 批无不良（已记录 {have} 批）"},
    "gate.no_preventive_done": {"en": "a preventive action done", "zh": "已完成的预防措施"},
    "gate.customer_acceptance": {"en": "the customer's acceptance", "zh": "客户认可"},
    # the 8D report
    "eightd.title": {"en": "8D report {ref} — {customer}", "zh": "8D报告 {ref} — {customer}"},
    "eightd.D1": {"en": "Team", "zh": "成立小组"},
    "eightd.D2": {"en": "Problem description", "zh": "问题描述"},
    "eightd.D3": {"en": "Containment", "zh": "临时围堵措施"},
    "eightd.D4": {"en": "Root cause (occurrence and escape)", "zh": "根本原因（发生与流出）"},
    "eightd.D5": {"en": "Permanent corrective actions chosen", "zh": "选定的永久纠正措施"},
    "eightd.D6": {"en": "Actions implemented and verified", "zh": "纠正措施实施与验证"},
    "eightd.D7": {"en": "Prevention of recurrence", "zh": "预防再发生"},
    "eightd.D8": {"en": "Closure and team recognition", "zh": "关闭与小组表彰"},
    "eightd.missing": {"en": "Missing — not recorded yet", "zh": "缺失 — 尚未记录"},
    "eightd.no": {"en": "no", "zh": "否"},
    "eightd.field.departments": {"en": "Departments", "zh": "部门"},
    "eightd.field.customer": {"en": "Customer", "zh": "客户"},
    "eightd.field.part_numbers": {"en": "Part number(s)", "zh": "料号"},
    "eightd.field.lot_numbers": {"en": "Lot number(s)", "zh": "批号"},
    "eightd.field.quantity": {"en": "Quantity", "zh": "数量"},
    "eightd.field.customer_said": {"en": "What the customer said", "zh": "客户反馈内容"},
    "eightd.field.received": {"en": "Received", "zh": "接收时间"},
    "eightd.field.line_stopped": {"en": "Customer's line stopped", "zh": "客户停线"},
    "eightd.field.sorting_method": {"en": "Sorting method", "zh": "挑选方法"},
    "eightd.field.sorting_result": {"en": "Sorting result", "zh": "挑选结果"},
    "eightd.field.countermeasure": {"en": "Short-term countermeasure", "zh": "临时对策"},
    "eightd.field.customer_informed": {"en": "Customer informed", "zh": "已通知客户"},
    "eightd.field.category_4m1e": {"en": "4M1E category", "zh": "4M1E 类别"},
    "eightd.field.occurrence": {"en": "Why it occurred", "zh": "发生原因"},
    "eightd.field.escape": {"en": "Why it escaped detection", "zh": "流出原因"},
    "eightd.field.evidence": {"en": "Evidence", "zh": "证据"},
    "eightd.field.customer_acceptance": {"en": "Customer acceptance (who · when · how)", "zh": "客户认可（人员 · 日期 · 方式）"},
    "eightd.field.closed": {"en": "Closed", "zh": "关闭时间"},
    "eightd.field.closed_by": {"en": "Closed by", "zh": "关闭人"},
    "eightd.field.recognition": {"en": "Team recognised", "zh": "表彰小组"},
    "rootcause.man": {"en": "Man", "zh": "人"},
    "rootcause.machine": {"en": "Machine", "zh": "机"},
    "rootcause.material": {"en": "Material", "zh": "料"},
    "rootcause.method": {"en": "Method", "zh": "法"},
    "rootcause.environment": {"en": "Environment", "zh": "环"},
    "rootcause.measurement": {"en": "Measurement", "zh": "测"},
    "doc.pfmea": {"en": "PFMEA", "zh": "PFMEA"},
    "doc.control_plan": {"en": "Control plan", "zh": "控制计划"},
    "doc.work_instruction": {"en": "Work instruction", "zh": "作业指导书"},
}
MESSAGES.update(WORK_MESSAGES)
MESSAGES.update(APPROVAL_MESSAGES)
MESSAGES.update(INTAKE_MESSAGES)
MESSAGES.update(EIGHTD_MESSAGES)
MESSAGES.update(REPORT_MESSAGES)
MESSAGES.update(SATISFACTION_MESSAGES)
MESSAGES.update(SLA_MESSAGES)
MESSAGES.update(LEDGER_MESSAGES)
MESSAGES.update(CUSTOMER_MESSAGES)
MESSAGES.update(STEP_MESSAGES)
MESSAGES.update(ROLES_MESSAGES)
MESSAGES.update(VISIT_MESSAGES)
MESSAGES.update(TEAMS_MESSAGES)
MESSAGES.update(RECORD_MESSAGES)


def t(key: str, lang: str = "en", **params) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params else text


def event_label_key(action: str) -> str:
    """The message that names an audit event: a lifecycle step by its action's name (the same words
    as its button), any other event by its own label."""
    if action.startswith("lifecycle."):
        return f"action.{action.removeprefix('lifecycle.')}"
    return f"event.{action}"


def lang_of_locale(locale: str | None, default: str = "en") -> str:
    """Slack locale (en-US, zh-CN, zh-TW, ...) -> 'en' | 'zh'."""
    if not locale:
        return default
    return "zh" if locale.lower().startswith("zh") else "en"


def fmt_when(moment: datetime, tz: ZoneInfo, lang: str) -> str:
    """A UTC moment shown in the company's zone, e.g. '22 Nov 2026, 14:05' / '2026年11月22日 14:05'."""
    aware = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(tz)
    pattern = "yyyy年M月d日 HH:mm" if lang == "zh" else "d MMM yyyy, HH:mm"
    return format_datetime(aware, pattern, locale=BABEL_LOCALE.get(lang, "en_GB"))


def ref(number: int | None) -> str:
    """The reference people quote: VOC-n, the number given at filing (a draft has none yet)."""
    return f"VOC-{number}" if number is not None else "VOC-…"
MESSAGES.update(FACTS_MESSAGES)
