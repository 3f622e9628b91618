"""Every action, callback and block id the app uses, in one place."""

COMMAND = "/feedback"
COMPLAINT_COMMAND = "/complaint"
SHORTCUT_LOG = "log_feedback"          # message shortcut "Log as customer feedback"

# buttons
FILE_DRAFT = "voc_file_draft"
EDIT_DRAFT = "voc_edit_draft"
CANCEL_DRAFT = "voc_cancel_draft"
CHANGE = "voc_change_classification"
UNDO = "voc_undo"
CORRECT = "voc_correct_details"
TAKE_OWNERSHIP = "voc_take_ownership"
RECORD_CONTAINMENT = "voc_record_containment"

# modals
FEEDBACK_MODAL = "voc_feedback_modal"
RECLASSIFY_MODAL = "voc_reclassify_modal"
CORRECT_MODAL = "voc_correct_modal"
CONTAINMENT_MODAL = "voc_containment_modal"

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
B_DEPARTMENT = "department"
