"""What the bot says about who may do what and who may see what (roles, corrections, visibility),
in English and Chinese. Merged into domain/i18n.py's MESSAGES."""

ROLES_MESSAGES: dict[str, dict[str, str]] = {
    "who.reported": {"en": "the person who reported it", "zh": "反馈人本人"},
    "error.item_finished": {"en": "{ref} is {status}: it takes no corrections. A manager can reopen it first.",
                            "zh": "{ref} 已{status}，不能再修改。如需修改，请经理先重新打开。"},
    "error.membership_unknown": {"en": "Slack cannot tell right now whether you are in the department's user group, "
                                       "so this is not allowed for the moment. Try again in a minute.",
                                 "zh": "Slack 暂时无法确认您是否属于该部门用户组，因此暂不允许此操作，请稍后再试。"},
    "refusal.membership_unknown": {"en": "Slack cannot tell right now whether you are in the department's user group, "
                                         "so {action} is not allowed for the moment. Try again in a minute.",
                                   "zh": "Slack 暂时无法确认您是否属于该部门用户组，暂不能{action}，请稍后再试。"},
    "refusal.undo_window": {"en": "It is more than {minutes} minutes since it was filed: only a manager can withdraw it now.",
                            "zh": "提交已超过 {minutes} 分钟，现在只有经理可以撤回。"},
    "error.guest": {"en": "VOC Desk is not available to guest accounts.", "zh": "访客账号不能使用 VOC Desk。"},
    "error.not_visible": {"en": "That item is not shown to you: its customer's records are restricted.",
                          "zh": "该客户的资料受限，您无权查看此条反馈。"},
    "error.classification_after_work": {"en": "{ref} is already being worked on: only a manager can change its kind or category now.",
                                        "zh": "{ref} 已在处理中，现在只有经理可以修改类型或类别。"},
    "error.reason_required": {"en": "Changing the severity or the department of a filed item needs a reason.",
                              "zh": "修改已提交条目的等级或责任部门需要填写原因。"},
    "modal.reason": {"en": "Reason (needed to change severity or department)", "zh": "原因（修改等级或部门时必填）"},
    "modal.too_long": {"en": "{field}: too long to edit here ({count} characters); it is kept as it is. Beginning:",
                       "zh": "{field}：内容过长（{count} 个字符），无法在此编辑，将保持原样。开头："},
    "note.severity_reason": {"en": "Reason: {reason}", "zh": "原因：{reason}"},
}
