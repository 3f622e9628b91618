"""What the bot says when it offers instead of filing (a customer it is not sure of, a possible
duplicate), in English and Chinese. Merged into domain/i18n.py's MESSAGES."""

INTAKE_MESSAGES: dict[str, dict[str, str]] = {
    "offer.customer": {"en": "Which customer do you mean by *{typed}*?", "zh": "“{typed}”是指哪个客户？"},
    "offer.customer_new": {"en": "“{typed}” is a new customer", "zh": "“{typed}”是新客户"},
    "offer.duplicate": {"en": "This looks like {ref}, filed {when} by {reporter}: _{summary}_",
                        "zh": "这条看起来与 {ref} 相同（{reporter} 于 {when} 登记）：_{summary}_"},
    "offer.add_to": {"en": "Add to {ref}", "zh": "补充到 {ref}"},
    "offer.file_new": {"en": "File as new", "zh": "另行登记"},
    "offer.added": {"en": "Added to {ref}: your report is in its thread{link}. Nothing new was filed.",
                    "zh": "已补充到 {ref}：您的反馈已记入其讨论串{link}，未另行登记。"},
    # the DM conversation (domain/conversation.py)
    "ask.intro": {"en": "Got it: {values}. A few questions before I file it (answer here; *cancel* drops it):",
                  "zh": "收到：{values}。登记前还有几个问题（直接在这里回答；回复“取消”则放弃）："},
    "ask.retry": {"en": "Sorry, I didn't understand that.", "zh": "抱歉，没看懂这个回答。"},
    "ask.reminder": {"en": "Still waiting for your answer: this feedback is not filed yet.",
                     "zh": "还在等您的回答：这条反馈尚未登记。"},
    "ask.customer": {"en": "Which customer is this about? Pick one or type the name.", "zh": "是哪个客户？请选择或输入客户名称。"},
    "ask.customer_unsure": {"en": "Which of these do you mean? Pick one, or type the name again.",
                            "zh": "您指的是下面哪一个？请选择，或重新输入名称。"},
    "ask.parts": {"en": "Which part or lot numbers? (e.g. PN 5520, lot 23-1107)", "zh": "涉及哪些零件号或批号？（例如 PN 5520，批号 23-1107）"},
    "ask.quantity": {"en": "How many pieces are affected?", "zh": "涉及多少件？"},
    "ask.line_stopped": {"en": "Is the customer's line stopped?", "zh": "客户是否已停线？"},
    "ask.skip": {"en": "Not known", "zh": "不清楚"},
    "ask.yes_stopped": {"en": "Yes, stopped", "zh": "是，已停线"},
    "ask.no": {"en": "No", "zh": "否"},
    "ask.about_to_stop": {"en": "Not yet, about to stop", "zh": "还没停，但即将停线"},
    "ask.cancelled": {"en": "Dropped: nothing was filed (the draft is kept).", "zh": "已放弃：未登记（草稿已保留）。"},
    # AA plausible but not decided (domain/intake.py answer_aa): one question before filing
    "aa.question": {"en": "Before I file it: could this be critical (AA)?", "zh": "登记前确认：这是否属于特别重要（AA）？"},
    "aa.line": {"en": "Their line is stopped or about to stop", "zh": "客户已停线或即将停线"},
    "aa.safety": {"en": "Someone's safety or a recall is involved", "zh": "涉及人身安全或召回"},
    "aa.neither": {"en": "Neither", "zh": "都不是"},
    "note.reported_again": {"en": "{actor} reported this again: {text}", "zh": "{actor} 再次反馈了此问题：{text}"},
}


# The answers to "aa.question" and the reason each records on the item (shown where the severity is explained).
AA_ANSWERS: dict[str, dict[str, str]] = {
    "line": {"en": "reporter: the customer's line is stopped or about to stop", "zh": "报告人确认：客户已停线或即将停线"},
    "safety": {"en": "reporter: safety or a recall is involved", "zh": "报告人确认：涉及安全或召回"},
    "neither": {"en": "reporter: no line stop, safety or recall", "zh": "报告人确认：无停线、安全或召回"},
}
