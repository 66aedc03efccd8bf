"""Updates as Telegram would send them: users, chats, messages, button presses, inline queries."""

from __future__ import annotations

import time

from bot.testing.checks import utf16_length

BOT_ID = 123456789
BOT_USERNAME = "newsqa_test_bot"


class UpdateMaker:
    """How tests push updates into ``FakeBotApi`` (which this class is part of: it uses its
    ``push_update``, ``bot_user`` and id counters)."""

    def user(self, user_id: int, name: str = "Test", language_code: str = "ar") -> dict:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"{name}{user_id}",
            "language_code": language_code,
        }

    def chat(self, chat_id: int, chat_type: str = "private") -> dict:
        chat = {"id": chat_id, "type": chat_type}
        chat.update(
            {"first_name": "Test"} if chat_type == "private" else {"title": f"Group {chat_id}"}
        )
        with self._cond:
            self._chats[chat_id] = chat
        return chat

    def message(
        self,
        text: str,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        chat_type: str = "private",
        entities: list[dict] | None = None,
        reply_to: dict | None = None,
        language_code: str = "ar",
    ) -> dict:
        """A Message object from a user (not queued; see push_message); ``language_code``
        is the user's Telegram language."""
        chat_id = user_id if chat_id is None else chat_id
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat_id, chat_type),
            "from": self.user(user_id, language_code=language_code),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            entities = [
                {"type": "bot_command", "offset": 0, "length": utf16_length(command)}
            ] + list(entities or [])
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return message

    def push_message(self, text: str, **kwargs) -> dict:
        """Queue a text message update; returns the message (its ``message_id``…).

        Args:
            text: the text; a leading ``/command`` gets its bot_command entity.
            kwargs: see ``message``: user_id, chat_id, chat_type ("private", "group",
                "supergroup"), entities, reply_to (a message dict), language_code.
        """
        message = self.message(text, **kwargs)
        self.push_update({"message": message})
        return message

    def push_media(self, kind: str, *, caption: str | None = None, **kwargs) -> dict:
        """Queue a photo, sticker, voice note… (``kind``: "photo", "sticker", "voice"),
        with an optional caption; returns the message."""
        message = self.message("", **kwargs)
        del message["text"]
        media = {"file_id": f"{kind}-file", "file_unique_id": f"{kind}-u", "width": 90,
                 "height": 90, "duration": 1}
        if kind == "sticker":
            media.update(type="regular", is_animated=False, is_video=False)
        message[kind] = [media] if kind == "photo" else media
        if caption is not None:
            message["caption"] = caption
        self.push_update({"message": message})
        return message

    def push_mention(self, question: str, **kwargs) -> dict:
        """Queue «@bot question» with its mention entity (in a group by default)."""
        mention = f"@{BOT_USERNAME}"
        kwargs.setdefault("chat_type", "group")
        kwargs.setdefault("chat_id", -100500)
        entities = [{"type": "mention", "offset": 0, "length": utf16_length(mention)}]
        return self.push_message(f"{mention} {question}", entities=entities, **kwargs)

    def bot_message(
        self, chat_id: int, message_id: int, text: str = "…", chat_type: str = "private"
    ) -> dict:
        """A message as the bot sent it (for replies and callback queries)."""
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "text": text,
            "chat": self.chat(chat_id, chat_type),
            "from": self.bot_user,
        }

    def push_callback(self, data: str, *, message: dict, user_id: int = 1001) -> str:
        """Queue a button press on ``message``; returns the callback query id."""
        query_id = str(next(self._query_ids))
        self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.user(user_id),
                    "chat_instance": "1",
                    "message": message,
                    "data": data,
                }
            }
        )
        return query_id

    def push_inline_query(self, query: str, *, user_id: int = 1001) -> str:
        """Queue an inline query («@bot query» typed in any chat); returns its id."""
        query_id = str(next(self._query_ids))
        self.push_update(
            {
                "inline_query": {
                    "id": query_id,
                    "from": self.user(user_id),
                    "query": query,
                    "offset": "",
                }
            }
        )
        return query_id
