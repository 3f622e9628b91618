"""What the bot says about a complaint's level, the customer's urgency and the 8D request (issue 16),
in English and Chinese. Merged into domain/i18n.py's MESSAGES."""

FACTS_MESSAGES: dict[str, dict[str, str]] = {
    # the level and its two sources: "Level A (problem B, customer urgent)"
    "level.line": {"en": "Level {level} (problem {problem}, customer {urgency})", "zh": "等级 {level}（问题 {problem}，客户{urgency}）"},
    "urgency.normal": {"en": "normal", "zh": "一般"},
    "urgency.urgent": {"en": "urgent", "zh": "紧急"},
    "urgency.very_urgent": {"en": "very urgent", "zh": "特别紧急"},
    "urgency.choice.normal": {"en": "Normal", "zh": "一般"},
    "urgency.choice.urgent": {"en": "Urgent (A, 48 h)", "zh": "紧急（A 级，48 小时）"},
    "urgency.choice.very_urgent": {"en": "Very urgent (AA, 24 h)", "zh": "特别紧急（AA 级，24 小时）"},
    "wants_8d.line": {"en": "8D requested: {answer}", "zh": "要求8D：{answer}"},
    "wants_8d.line_from": {"en": "8D requested: {answer} ({source})", "zh": "要求8D：{answer}（{source}）"},
    "wants_8d.yes": {"en": "yes", "zh": "是"},
    "wants_8d.no": {"en": "no", "zh": "否"},
    "wants_8d.unknown": {"en": "not known", "zh": "未知"},
    "wants_8d.choice.yes": {"en": "Yes, the customer wants an 8D", "zh": "是，客户要求8D报告"},
    "wants_8d.choice.no": {"en": "No 8D needed", "zh": "不需要8D"},
    # where a fact came from
    "fact_source.text": {"en": "from the message", "zh": "留言中所述"},
    "fact_source.reporter": {"en": "stated by the reporter", "zh": "报告人说明"},
    "fact_source.customer": {"en": "customer requirement", "zh": "客户要求"},
    "fact_source.department": {"en": "set by the department", "zh": "部门设定"},
    # the department's actions and their forms
    "action.set_urgency": {"en": "Set the customer's urgency", "zh": "设定客户紧急程度"},
    "action.set_wants_8d": {"en": "Does the customer want an 8D?", "zh": "客户是否要求8D"},
    "step.field.urgency": {"en": "How urgent is it for the customer?", "zh": "客户要求有多紧急？"},
    "step.field.wants_8d": {"en": "Does the customer want an 8D report?", "zh": "客户是否要求8D报告？"},
    "refusal.drops_8d": {"en": "Dropping the customer's 8D request drops its deadline and approval: only {who} can do that (with a reason).",
                         "zh": "取消客户的8D要求会取消其期限和审批：只有{who}可以这样做（须说明原因）。"},
    "refusal.lowers_level": {"en": "A lower urgency lowers the level: only {who} can do that (with a reason).",
                             "zh": "降低紧急程度会降低等级：只有{who}可以这样做（需填写原因）。"},
    # names of the facts in a history or a note
    "field.problem_severity": {"en": "Problem severity", "zh": "问题严重度"},
    "field.urgency_source": {"en": "Urgency from", "zh": "紧急程度来源"},
    "field.wants_8d": {"en": "8D requested", "zh": "要求8D"},
    "field.wants_8d_source": {"en": "8D request from", "zh": "8D要求来源"},
    # the /feedback form and the DM question
    "field.urgency": {"en": "Customer's urgency", "zh": "客户紧急程度"},
    "field.urgency_hint": {"en": "What the customer demands; the level is the stricter of this and the problem's severity",
                           "zh": "客户的要求；等级取此项与问题严重度中较高者"},
    "ask.urgency": {"en": "How urgent is it for the customer?", "zh": "客户要求有多紧急？"},
}
