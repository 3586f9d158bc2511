"""Schakel: reminders, contact cards, warm handovers and announcements for newcomers."""

import os

# python-telegram-bot 22 moves time periods (RetryAfter.retry_after, ...) from int
# seconds to timedelta and warns on every int access until this opt-in is set.
os.environ.setdefault("PTB_TIMEDELTA", "true")
