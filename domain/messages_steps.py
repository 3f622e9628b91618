"""What the bot says about the steps of issue 16 (first contact, the reply to the customer, editing an
action, dates, verification, the closure gate by category), in English and Chinese. Merged into
domain/i18n.py's MESSAGES."""

STEP_MESSAGES: dict[str, dict[str, str]] = {
    "action.record_first_contact": {"en": "Record first contact", "zh": "记录首次联系客户"},
    "action.record_customer_reply": {"en": "Record customer reply", "zh": "记录答复客户"},
    "action.edit_action": {"en": "Edit action", "zh": "修改措施"},
    "who.verifier": {"en": "the quality department (verification)", "zh": "品质部（验证）"},
    "who.action_owner": {"en": "the action's owner", "zh": "措施负责人"},
    "refusal.date_out_of_range": {"en": "{field}: must be between {earliest} and {latest}.",
                                  "zh": "{field}：必须在 {earliest} 至 {latest} 之间。"},
    "refusal.nothing_changed": {"en": "Nothing was changed: the action already reads like that.", "zh": "没有修改：措施内容与原来相同。"},
    "gate.customer_reply": {"en": "the reply to the customer recorded", "zh": "已记录的客户答复"},
    "gate.eight_d_not_sent": {"en": "the 8D report sent to the customer (the customer asked for one)",
                              "zh": "已发送给客户的8D报告"},
    "gate.no_documents": {"en": "the PFMEA or control plan updated by a preventive action",
                          "zh": "预防措施更新的 PFMEA 或控制计划"},
    # form fields
    "step.field.contacted_by": {"en": "Who contacted the customer", "zh": "联系客户的人"},
    "step.field.contacted_at": {"en": "When (date)", "zh": "联系日期"},
    "step.field.contacted_at_time": {"en": "Time (HH:MM)", "zh": "时间（时:分）"},
    "step.field.record_first_contact.how": {"en": "How", "zh": "联系方式"},
    "step.field.record_customer_reply.how": {"en": "How", "zh": "答复方式"},
    "step.field.note": {"en": "Note", "zh": "备注"},
    "step.field.reply": {"en": "What was replied", "zh": "答复内容"},
    "step.field.replied_at": {"en": "When (date)", "zh": "答复日期"},
    "step.field.replied_at_time": {"en": "Time (HH:MM)", "zh": "时间（时:分）"},
    "step.field.edit_action.what": {"en": "What will be done (empty: unchanged)", "zh": "措施内容（留空则不变）"},
    "step.field.edit_action.owner": {"en": "Owner (empty: unchanged)", "zh": "负责人（留空则不变）"},
    "step.field.edit_action.due": {"en": "Due date (empty: unchanged)", "zh": "完成期限（留空则不变）"},
    "contact.call": {"en": "Phone call", "zh": "电话"},
    "contact.mail": {"en": "E-mail", "zh": "邮件"},
    "contact.visit": {"en": "Visit", "zh": "拜访"},
    "contact.portal": {"en": "Customer portal", "zh": "客户系统"},
    "contact.meeting": {"en": "Meeting", "zh": "会议"},
    "error.not_a_time": {"en": "A time like 14:30.", "zh": "请输入时间，例如 14:30。"},
}
