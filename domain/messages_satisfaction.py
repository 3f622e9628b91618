"""What the bot says about customer satisfaction (`/survey`, `/satisfaction`, the improvement action),
in English and Chinese. Merged into domain/i18n.py's MESSAGES."""

SATISFACTION_MESSAGES: dict[str, dict[str, str]] = {
}
