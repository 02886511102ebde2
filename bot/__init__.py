"""The channel gateway: web chat, Telegram, Zalo and SMS in front of Rasa (docs/architecture.md)."""
