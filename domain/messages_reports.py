"""What the bot says in digests and reports, `/digest` and `/export`, in English and Chinese.
Merged into domain/i18n.py's MESSAGES."""

REPORT_MESSAGES: dict[str, dict[str, str]] = {
}
