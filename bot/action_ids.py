"""Every action, callback and block id the app uses, in one place."""

COMMAND = "/feedback"
COMPLAINT_COMMAND = "/complaint"
COMPLAINTS_COMMAND = "/complaints"
DIGEST_COMMAND = "/digest"
EXPORT_COMMAND = "/export"
SURVEY_COMMAND = "/survey"
SATISFACTION_COMMAND = "/satisfaction"
CUSTOMER_COMMAND = "/customer"
VISIT_COMMAND = "/visit"
RETURN_COMMAND = "/return"
CLAIM_COMMAND = "/claim"
SHORTCUT_LOG = "log_feedback"          # message shortcut "Log as customer feedback"

# buttons
FILE_DRAFT = "voc_file_draft"
EDIT_DRAFT = "voc_edit_draft"
CANCEL_DRAFT = "voc_cancel_draft"
PICK_CUSTOMER = "voc_pick_customer__"  # + the choice's position; value: "<item>:<customer id>" or "<item>:new"
ADD_TO_EXISTING = "voc_add_to_existing"
CHANGE = "voc_change_classification"
UNDO = "voc_undo"
CORRECT = "voc_correct_details"
# A lifecycle step's button is STEP_PREFIX + the action's name in domain/lifecycle/table.py; one
# listener serves them all (the table, not the button, decides what happens).
STEP_PREFIX = "voc_step__"
RMA_STEP = "voc_rma_step"  # a standalone return's next step (`/return RMA-7`); value: "<action>:<return id>"


ANSWER_AA = "voc_answer_aa__"  # + the answer's position; value: "<item>:<line|safety|neither>"
ANSWER = "voc_answer__"  # + the answer's position; value: "<conversation>:<question>:<answer>"


def answer(position: int) -> str:
    """A DM conversation's answer buttons (unique action_ids within their block, as Slack wants)."""
    return f"{ANSWER}{position}"


def answer_aa(position: int) -> str:
    """The buttons of "could this be AA?" under a proposal (unique action_ids within their block)."""
    return f"{ANSWER_AA}{position}"


def pick_customer(position: int) -> str:
    """One button per offered customer; Slack wants each action_id unique within its block."""
    return f"{PICK_CUSTOMER}{position}"


def step(action: str) -> str:
    return STEP_PREFIX + action


TAKE_OWNERSHIP = step("take_ownership")
RECORD_CONTAINMENT = step("record_containment")
MORE = "voc_more"                      # the thread parent's menu of the other steps (and History)
HISTORY = "history"                    # its History option
LIST_NEXT = "voc_list_next"            # /complaints: the next page
HISTORY_NEWER = "voc_history_newer"    # an item's history: the newer page; value "<item>:<offset>"
HISTORY_OLDER = "voc_history_older"    # ... and the older one
SNOOZE = "voc_snooze__"                # + 1h | 4h | next_working_day, on a reminder or escalation

# modals
FEEDBACK_MODAL = "voc_feedback_modal"
RECLASSIFY_MODAL = "voc_reclassify_modal"
CORRECT_MODAL = "voc_correct_modal"
CUSTOMER_MODAL = "voc_customer_modal"  # the customer record's edit form (customer id in private_metadata)
CUSTOMER_EDIT = "voc_customer_edit"    # the record's Edit button; value: the customer id
STEP_MODAL = "voc_step_modal"          # every step's form (the action travels in private_metadata)

# modal blocks (block_id == action_id for simplicity)
B_CUSTOMER = "customer"
B_TEXT = "text"
B_PARTS = "part_numbers"
B_LOTS = "lot_numbers"
B_QTY = "quantity"
B_LINE = "line_stopped"
B_KIND = "kind"
B_CATEGORY = "category"
B_SEVERITY = "severity"
B_URGENCY = "urgency"
B_DEPARTMENT = "department"
B_REASON = "reason"

# App Home's quick actions
HOME_LOG = "home_log_feedback"
HOME_MINE = "home_my_items"
HOME_DIGEST = "home_digest"

# The quality manager's answer to a manual satisfaction entry (a proactive visit, an award)
SATISFACTION_ENTRY_CONFIRM = "voc_satisfaction_entry_confirm"
SATISFACTION_ENTRY_DECLINE = "voc_satisfaction_entry_decline"
