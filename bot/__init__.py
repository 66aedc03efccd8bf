"""newsqa's front ends: the Telegram bot, the console, and the `newsqa` command."""
