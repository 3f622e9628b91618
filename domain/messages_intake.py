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
    "note.reported_again": {"en": "{actor} reported this again: {text}", "zh": "{actor} 再次反馈了此问题：{text}"},
}
