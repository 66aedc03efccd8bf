"""A fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks: records every call, injects faults.

Shipped with the code (as httpx ships its mock transport) so that tests and ``bench/``
import it normally::

    from bot.testing import FakeBotApi

    with FakeBotApi() as api:
        api.push_message("ماذا قال شي؟", user_id=1)
        [call] = api.wait_for("sendMessage")
"""

from bot.testing.checks import ApiError, Call, html_problem, utf16_length
from bot.testing.fake_api import TOKEN, FakeBotApi
from bot.testing.updates import BOT_ID, BOT_USERNAME

__all__ = ["BOT_ID", "BOT_USERNAME", "TOKEN", "ApiError", "Call", "FakeBotApi", "html_problem", "utf16_length"]
