"""What every handler and job receives: PTB's CallbackContext plus who is writing and the
services (database, clock, outbox). Its own module, below the handlers, so that no handler
imports the application assembly (bot/app/application.py), which imports the handlers."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.people.identity import Identity
from bot.sending.services import Services

SERVICES_KEY = "services"


class SchakelContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext plus who is writing (set once per update by handlers.core.access)."""

    def __init__(
        self, application: SchakelApp, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.identity: Identity = Identity()
        self.replies_sent = 0  # numbers the idempotency keys of this update's replies

    @property
    def services(self) -> Services:
        services: Services = self.application.bot_data[SERVICES_KEY]
        return services


SchakelApp = Application[
    ExtBot[None], SchakelContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]


def services_of(application: SchakelApp) -> Services:
    services: Services = application.bot_data[SERVICES_KEY]
    return services
